// CPU time of running processes with nanosecond resolution: their CPU-time clocks, read by
// bench/python/process_cpu_clock.py (Node has no way to read another process's clock). The
// steady-state figures of part 1 are a millisecond or less a second, which /proc/<pid>/stat's
// 10 ms ticks cannot resolve.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './prerequisites.js';

export interface CpuSample {
  /** Unix seconds when the clocks were read. */
  t: number;
  /** CPU seconds (user + system, every thread the process ever had) per pid; undefined once a process is gone. */
  cpuSeconds: (number | undefined)[];
}

/** Parses the helper's JSON line for `pids`, in their order. */
export function parseCpuSample(line: string, pids: readonly number[]): CpuSample {
  const parsed = JSON.parse(line) as { t: number; cpuNs: Record<string, number | null> };
  if (typeof parsed.t !== 'number' || typeof parsed.cpuNs !== 'object') throw new Error(`process_cpu_clock.py wrote "${line}", not {"t": …, "cpuNs": {…}}`);
  return { t: parsed.t, cpuSeconds: pids.map((p) => (typeof parsed.cpuNs[String(p)] === 'number' ? parsed.cpuNs[String(p)]! / 1e9 : undefined)) };
}

/** Reads the CPU clocks of `pids` at one moment, with `python` (any Python 3.7+). */
export function readCpuClocks(python: string, pids: readonly number[]): CpuSample {
  const out = execFileSync(python, [join(REPO, 'bench', 'python', 'process_cpu_clock.py'), ...pids.map(String)], { encoding: 'utf8' });
  return parseCpuSample(out.trim(), pids);
}
