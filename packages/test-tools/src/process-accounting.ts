// What a process cost, from the kernel's accounting rather than the process's own report:
// GNU time's -v report (wait4's rusage: CPU time and peak RSS of the whole process, threads
// included) and /proc/<pid> (CPU ticks and resident memory while it runs).
import { execFileSync, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, type Started } from './processes.js';

/** GNU time (Debian package "time"); the shell builtin has no -v. */
export const GNU_TIME = '/usr/bin/time';

let clockTicks: number | undefined;
/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, almost always 100). */
export function clockTicksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicks;
}

export interface TimeReport {
  userSeconds: number;
  systemSeconds: number;
  cpuSeconds: number;
  maxRssKb: number;
  elapsedSeconds: number;
  exitStatus: number;
}

/** The fields of GNU time's -v report that measurements use. */
export function parseTimeVerbose(text: string): TimeReport {
  const field = (label: string): string => {
    const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}: (.+)$`, 'm').exec(text);
    if (!m) throw new Error(`/usr/bin/time -v output has no "${label}":\n${text}`);
    return m[1]!.trim();
  };
  const userSeconds = Number(field('User time (seconds)'));
  const systemSeconds = Number(field('System time (seconds)'));
  // "h:mm:ss" or "m:ss.ss"
  const elapsed = field('Elapsed (wall clock) time (h:mm:ss or m:ss)').split(':').map(Number);
  const elapsedSeconds = elapsed.reduce((acc, x) => acc * 60 + x, 0);
  return {
    userSeconds,
    systemSeconds,
    cpuSeconds: userSeconds + systemSeconds,
    maxRssKb: Number(field('Maximum resident set size (kbytes)')),
    elapsedSeconds,
    exitStatus: Number(field('Exit status')),
  };
}

/** utime + stime of a live process in seconds (tick resolution), or undefined once it is gone. */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing paren are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM of a live process in kB (NaN for a field the kernel did not report). */
export function procMemoryKb(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** Direct children of `pid` (Linux ≥ 3.5 /proc/<pid>/task/<pid>/children). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface Timed extends Started {
  /** The measured process (GNU time's child), once it has been forked. */
  pid(): number | undefined;
  /** GNU time's report, once the measured process has exited. */
  result: Promise<TimeReport & { timeExit: number | null; timeSignal: NodeJS.Signals | null }>;
  /** Signal the measured process; time waits for it and then writes the report. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM to the measured process, SIGKILL after `graceMs`; resolves when time has exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `command` under GNU time -v, so its cost can be read when it ends. */
export function startTimed(command: string, args: readonly string[], options: SpawnOptions = {}): Timed {
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-time-'));
  const report = join(dir, 'time.txt');
  const p = start(GNU_TIME, ['-v', '-o', report, command, ...args], options);
  // GNU time forks the measured process right away.
  const pid = () => childPids(p.child.pid ?? -1)[0];
  const result = p.exited.then(({ code, signal }) => {
    try {
      return { ...parseTimeVerbose(readFileSync(report, 'utf8')), timeExit: code, timeSignal: signal };
    } catch (e) {
      throw new Error(`${command} under ${GNU_TIME} left no report (exit ${code}, signal ${signal}): ${(e as Error).message}\n${p.stderr().slice(-2000)}`, { cause: e });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    const target = pid();
    if (target) process.kill(target, signal);
  };
  return {
    ...p,
    pid,
    result,
    kill,
    async stop(graceMs = 5000) {
      // Stopping time itself would orphan the measured process and lose the report.
      kill('SIGTERM');
      const t = setTimeout(() => kill('SIGKILL'), graceMs);
      const r = await p.exited;
      clearTimeout(t);
      return r;
    },
  };
}
