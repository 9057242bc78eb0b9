// Running contenders as separate processes and reading what the kernel says they cost:
// /usr/bin/time -v (wait4's rusage: CPU time and peak RSS of the whole process, threads
// included) and /proc/<pid> (CPU ticks and resident memory while it runs). Nothing here
// trusts a process's own report of its cost.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME = '/usr/bin/time';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, almost always 100). */
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * The fields of GNU time's -v report the benchmark uses.
 * @param {string} text
 * @returns {{ userSeconds: number, systemSeconds: number, cpuSeconds: number, maxRssKb: number, elapsedSeconds: number, exitStatus: number }}
 */
export function parseTimeVerbose(text) {
  const field = (label) => {
    const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}: (.+)$`, 'm').exec(text);
    if (!m) throw new Error(`/usr/bin/time -v output has no "${label}":\n${text}`);
    return m[1].trim();
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

/** utime + stime of a live process, seconds (tick resolution), or undefined once it is gone. @param {number} pid */
export function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing paren are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM of a live process in kB. @param {number} pid */
export function procMemoryKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** Direct children of `pid` (Linux ≥ 3.5 /proc/<pid>/task/<pid>/children). @param {number} pid */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * @typedef {object} Launched
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} stdout
 * @property {() => string} stderr
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {(signal?: NodeJS.Signals) => void} kill  signal the process (the measured one, not /usr/bin/time)
 */

/**
 * Start a process and collect its output.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Launched}
 */
export function launch(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (e) => {
      err += `\nspawn failed: ${e.message}`;
      resolve({ code: null, signal: null });
    });
  });
  live.add(child);
  exited.then(() => live.delete(child));
  return { child, stdout: () => out, stderr: () => err, exited, kill: (s = 'SIGTERM') => child.kill(s) };
}

/** Every process the benchmark started and has not seen exit: killed if the harness dies. */
const live = new Set();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Start `command` under /usr/bin/time -v. `pid()` is the measured process itself (time's
 * child), so it can be signalled and watched in /proc; `result` resolves with time's report
 * once it has exited.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function launchTimed(command, args, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-bench-'));
  const report = join(dir, 'time.txt');
  const p = launch(TIME, ['-v', '-o', report, command, ...args], options);
  /** The measured process: /usr/bin/time forks it right away. */
  const pid = () => childPids(p.child.pid ?? -1)[0];
  const result = p.exited.then(({ code, signal }) => {
    try {
      const text = readFileSync(report, 'utf8');
      return { ...parseTimeVerbose(text), timeExit: code, timeSignal: signal };
    } catch (e) {
      throw new Error(`${command} under /usr/bin/time left no report (exit ${code}, signal ${signal}): ${e.message}\n${p.stderr().slice(-2000)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    ...p,
    pid,
    result,
    /** Signal the measured process (time itself waits for it and then writes the report). */
    kill: (s = 'SIGTERM') => {
      const target = pid();
      if (target) process.kill(target, s);
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` every `intervalMs` until it returns something other than undefined. */
export async function poll(what, check, timeoutMs = 30_000, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message ?? last}` : ''}`);
    await sleep(intervalMs);
  }
}

/** JSON lines from a stream's text (non-JSON lines, e.g. warnings, are skipped). @param {string} text */
export function jsonLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut off at exit
    }
  }
  return out;
}
