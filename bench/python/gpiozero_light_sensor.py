#!/usr/bin/env python3
"""gpiozero's LightSensor on its MockFactory, with MockChargingPin(charge_time).

The contender for "cost of a light reading". gpiozero's LightSensor samples back to back in
a background thread (GPIOQueue with sample_wait=0: about ten readings a second). To compare
one reading per second with the other contenders, the queue waits (interval - 0.1 s
discharge) between readings; everything else is gpiozero as shipped (queue_len=5, median,
charge_time_limit=0.01, rising-edge event from the mock pin's charging thread).

The main thread reads `value` once per interval, as an app printing the level would.
One JSON line per reading (counted inside _read) on stdout: {"t": <unix seconds>, "value": v}.
Runs for --seconds, or until SIGTERM (then it closes the sensor and exits 0, as the services do).
"""
import argparse
import json
import signal
import sys
import threading
import time

from gpiozero import Device, LightSensor
from gpiozero.pins.mock import MockChargingPin, MockFactory


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--charge-time', type=float, default=0.002)
    p.add_argument('--seconds', type=float, default=60)
    p.add_argument('--interval', type=float, default=1.0)
    a = p.parse_args()

    Device.pin_factory = MockFactory()
    Device.pin_factory.pin(4, pin_class=MockChargingPin, charge_time=a.charge_time)
    lock = threading.Lock()

    class CountedLightSensor(LightSensor):
        """LightSensor whose every reading is written out when it is taken."""

        def _read(self):
            v = super()._read()
            with lock:
                sys.stdout.write(json.dumps({'t': time.time(), 'value': v}) + '\n')
                sys.stdout.flush()
            return v

    sensor = CountedLightSensor(4, partial=True)  # the factory hands out the pin made above
    # Pace the background queue: one reading (0.1 s discharge + charge) per interval.
    sensor._queue.sample_wait = max(0.0, a.interval - 0.1 - a.charge_time)

    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    start = time.monotonic()
    k = 1
    try:
        while time.monotonic() - start < a.seconds:
            delay = start + k * a.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            _ = sensor.value
            k += 1
    finally:
        sensor.close()


if __name__ == '__main__':
    main()
