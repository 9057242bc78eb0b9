#!/usr/bin/env python3
"""A reconstruction of the original system's algorithm, not project code.

The 2019 light sensor's algorithm (docs/original-system.md#light-sensor), rebuilt for the benchmark:
drive the pin LOW as an output for 0.1 s, switch it to input, and count busy-loop
iterations until it reads HIGH. The original read a real pin through RPi.GPIO; there is no
Pi here, so `SimulatedRcPin` stands in for it: a pin that reads HIGH once `charge_time`
seconds have passed since it became an input (like gpiozero's MockChargingPin, but polled,
because the original polls). The loop itself is the original's: no timeout, one core held
at 100 % while it waits.

One reading per second (boundaries anchored to the start, so the rate matches the other
contenders), for --seconds or until SIGTERM (exit 0). One JSON line per reading on stdout:
{"t": <unix seconds>, "count": <iterations>}.
"""
import argparse
import json
import signal
import sys
import time


class SimulatedRcPin:
    """A GPIO pin wired to an LDR + capacitor that charges in a fixed time."""

    def __init__(self, charge_time):
        self.charge_time = charge_time
        self.input_since = None

    def setup_output_low(self):
        self.input_since = None

    def setup_input(self):
        self.input_since = time.monotonic()

    def input(self):
        if self.input_since is None:
            return 0
        return 1 if time.monotonic() - self.input_since >= self.charge_time else 0


def rc_time(pin):
    """The original algorithm: discharge, then count until HIGH (no timeout)."""
    count = 0
    pin.setup_output_low()
    time.sleep(0.1)
    pin.setup_input()
    while pin.input() == 0:
        count += 1
    return count


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--charge-time', type=float, default=0.002)
    p.add_argument('--seconds', type=float, default=60)
    p.add_argument('--interval', type=float, default=1.0)
    a = p.parse_args()
    pin = SimulatedRcPin(a.charge_time)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    start = time.monotonic()
    k = 0
    while True:
        due = start + k * a.interval
        if due - start >= a.seconds:
            break
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        count = rc_time(pin)
        sys.stdout.write(json.dumps({'t': time.time(), 'count': count}) + '\n')
        sys.stdout.flush()
        k += 1


if __name__ == '__main__':
    main()
