// The part-1 CPU reader: another process's CPU-time clock, checked against the kernel's other
// account of the same time (/proc/<pid>/stat, clock ticks), for a process whose work was done
// by a thread that has since exited (gpiozero's mock starts a thread per charge).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { procCpuSeconds } from '@gpio-fleet/test-tools/process-accounting';
import { parseCpuSample, readCpuClocks } from '../src/lib/process-cpu.js';

// A worker thread burns CPU and exits; the main thread then waits, holding the process open.
const CHILD = `
import sys, threading
t = threading.Thread(target=lambda: sum(range(5_000_000)))
t.start(); t.join()
print('done', flush=True)
sys.stdin.read()
`;

describe('readCpuClocks', () => {
  it('counts the CPU of threads that have exited, as /proc/<pid>/stat does, to within a tick', async () => {
    const child = spawn('python3', ['-c', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await once(child.stdout, 'data');
      const pid = child.pid!;
      const [clock] = readCpuClocks('python3', [pid]).cpuSeconds;
      const ticks = procCpuSeconds(pid)!;
      expect(ticks).toBeGreaterThan(0.05); // enough work that a reader missing the thread would show it
      expect(Math.abs(clock! - ticks)).toBeLessThan(0.02);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reports a process that is gone as undefined, and refuses what is not a pid', () => {
    const child = spawn('true');
    return once(child, 'exit').then(() => {
      expect(readCpuClocks('python3', [child.pid!]).cpuSeconds).toEqual([undefined]);
      expect(() => readCpuClocks('python3', [0])).toThrow(/"0" is not a process id/);
    });
  });
});

describe('parseCpuSample', () => {
  it('gives seconds in the order of the pids asked for', () => {
    expect(parseCpuSample('{"t": 12.5, "cpuNs": {"7": 2000000, "3": null}}', [3, 7])).toEqual({ t: 12.5, cpuSeconds: [undefined, 0.002] });
    expect(() => parseCpuSample('{"cpu": 1}', [1])).toThrow(/not \{"t"/);
  });
});
