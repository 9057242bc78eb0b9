// One build of a tool at a time, machine-wide: a second run that needs the same tool while it
// is being built waits for that build instead of compiling it again (two Go builds of the
// Kubernetes tree on 2 cores take twice as long as one). The lock is a directory holding the
// builder's pid; a lock whose builder has died is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from './log.js';

const sleepMs = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers kill 0; its /proc state says it is gone.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Takes the lock directory `dir` (mkdir is atomic) when it is free, or when the process that
 * holds it has died. Returns undefined once it is held here, else the live holder's pid (NaN
 * while the holder is still writing it).
 */
export function tryLock(dir: string): number | undefined {
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {
      // the holder is writing its pid right now
    }
    if (!Number.isInteger(holder) || alive(holder)) return holder;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Releases a lock taken with tryLock. */
export function unlock(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `build` holding the lock `<dir>`. While another live process holds it, waits (a line every
 * `noticeMs`), then calls `isDone()` first: when the other build produced what was needed,
 * `build` does not run at all.
 */
export function withBuildLock<T>(dir: string, label: string, isDone: () => T | undefined, build: () => T, log: Log, noticeMs = 60_000): T {
  let waitedSince: number | undefined;
  let lastNotice = 0;
  for (let holder = tryLock(dir); holder !== undefined; holder = tryLock(dir)) {
    const now = Date.now();
    waitedSince ??= now;
    if (now - lastNotice >= noticeMs) {
      log(`${label} is being built by another process (pid ${Number.isInteger(holder) ? holder : '?'}); waiting for it (${Math.round((now - waitedSince) / 1000)} s so far)`);
      lastNotice = now;
    }
    sleepMs(500);
  }
  try {
    return isDone() ?? build();
  } finally {
    unlock(dir);
  }
}
