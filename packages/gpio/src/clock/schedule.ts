// Drift-free periodic work: every boundary is computed from one start instant, never by
// chaining sleeps, so lateness at one boundary never shifts the next one.
import type { Clock, Timer } from './clock.js';

export interface Boundary {
  /** 0-based index of this boundary. */
  index: number;
  /** When it was due (clock seconds). */
  due: number;
  /** How late it fired (seconds, >= 0). */
  lateness: number;
}

/**
 * Call `onBoundary` at `start + offset(i)` for i = 0, 1, 2, ... where `offset` is the
 * cumulative schedule. Stops when `offset` returns undefined or the returned stop() is called.
 */
export function runSchedule(
  clock: Clock,
  start: number,
  offset: (index: number) => number | undefined,
  onBoundary: (b: Boundary) => void,
  onEnd?: () => void,
): { stop(): void } {
  let timer: Timer | undefined;
  let stopped = false;
  const arm = (index: number): void => {
    const off = offset(index);
    if (off === undefined) {
      onEnd?.();
      return;
    }
    const due = start + off;
    const fire = (): void => {
      if (stopped) return;
      const now = clock.now();
      // Node timers may fire up to a millisecond early: wait out the rest, never start early.
      if (now < due) {
        timer = clock.setTimer(fire, due - now);
        return;
      }
      onBoundary({ index, due, lateness: now - due });
      if (!stopped) arm(index + 1);
    };
    timer = clock.setTimer(fire, due - clock.now());
  };
  arm(0);
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}

/** Offsets for a fixed period: 0, p, 2p, ... (count boundaries, or unbounded). */
export const periodic =
  (periodSeconds: number, count = Infinity) =>
  (index: number): number | undefined =>
    index < count ? index * periodSeconds : undefined;
