#!/usr/bin/env python3
"""gpiozero's LightSensor.value for a list of charge times, on MockFactory + MockChargingPin.

For the fidelity sweep: for each charge time (seconds, from our RC model at a given lux), a
fresh LightSensor with gpiozero's defaults fills its queue (5 readings) and `value` is read
--samples times, one full queue apart. Prints one JSON object:
{"results": [{"chargeTime": t, "values": [...]}, ...]}.
"""
import argparse
import json
import time

from gpiozero import Device, LightSensor
from gpiozero.pins.mock import MockChargingPin, MockFactory


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--samples', type=int, default=3)
    p.add_argument('charge_times', type=float, nargs='+')
    a = p.parse_args()
    Device.pin_factory = MockFactory()
    out = []
    for i, t in enumerate(a.charge_times):
        Device.pin_factory.pin(4 + i, pin_class=MockChargingPin, charge_time=t)
        sensor = LightSensor(4 + i)  # the factory hands out the pin made above
        values = []
        for s in range(a.samples):
            values.append(sensor.value)  # blocks until the queue is full
            if s + 1 < a.samples:
                time.sleep(5 * (0.1 + min(t, sensor.charge_time_limit)))
        sensor.close()
        out.append({'chargeTime': t, 'values': values})
    print(json.dumps({'results': out}))


if __name__ == '__main__':
    main()
