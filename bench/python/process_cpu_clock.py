#!/usr/bin/env python3
"""CPU time of other processes, from the kernel, in nanoseconds.

The benchmark's steady-state CPU figures: /proc/<pid>/stat counts in clock ticks (10 ms),
too coarse for a process that uses a millisecond a second. A process's CPU-time clock
(clock_getcpuclockid(3)) has nanosecond resolution and counts every thread the process ever
had, exited ones included. Python reaches another process's clock through the id glibc's
clock_getcpuclockid() computes: (~pid << 3) | CPUCLOCK_SCHED (2).

Usage: process_cpu_clock.py PID...
Prints one JSON line: {"t": <unix seconds when read>, "cpuNs": {"<pid>": ns or null}}; null
for a process that is gone (or that this user may not read).
"""
import json
import sys
import time

CPUCLOCK_SCHED = 2


def cpu_ns(pid):
    try:
        return time.clock_gettime_ns((~pid << 3) | CPUCLOCK_SCHED)
    except OSError:
        return None


def main():
    pids = []
    for arg in sys.argv[1:]:
        if not arg.isdigit() or int(arg) <= 0:
            sys.stderr.write(f'process_cpu_clock.py: "{arg}" is not a process id (accepted: positive integers)\n')
            sys.exit(2)
        pids.append(int(arg))
    t = time.time()
    print(json.dumps({'t': t, 'cpuNs': {str(p): cpu_ns(p) for p in pids}}))


if __name__ == '__main__':
    main()
