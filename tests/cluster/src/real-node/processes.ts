// The real node's processes: started detached with their output in a log file (the node
// outlives `npm run cluster:up`), recorded by pid, and stopped by pid with a grace period.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { alive } from '../control-plane.js';

/** Starts `command` in its own session, stdout and stderr appended to `logFile`; returns its pid. */
export function launchDetached(name: string, command: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true, env });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Returns false when
 * it had to be killed.
 */
export async function stopPid(pid: number, graceMs: number): Promise<boolean> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  if (!alive(pid)) return true;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (!alive(pid)) return true;
  signal('SIGKILL');
  while (alive(pid)) await sleep(50);
  return false;
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface ProcessInfo {
  pid: number;
  /** The executable, resolved (empty when unreadable). */
  exe: string;
  args: string[];
}

/** Every process on the machine with its executable and arguments (from /proc). */
export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${pid}/exe`);
      } catch {
        // a kernel thread, or gone
      }
      if (args.length > 0 && alive(pid)) out.push({ pid, exe, args });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
