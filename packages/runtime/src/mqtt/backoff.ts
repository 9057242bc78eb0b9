// How long to wait before the next connection attempt: doubling from `initial` up to `max`,
// each wait drawn between half and all of it, so a fleet of Pis that lost the broker at the
// same moment does not come back in lockstep.

export interface Backoff {
  /** The wait before the next attempt, in ms; each call counts one more failure. */
  next(): number;
  /** A connection succeeded: start again from the shortest wait. */
  reset(): void;
}

export function exponentialBackoff(settings: { initialMs: number; maxMs: number; random?: () => number }): Backoff {
  const { initialMs, maxMs } = settings;
  const random = settings.random ?? Math.random;
  let failures = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
      failures++;
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    },
    reset() {
      failures = 0;
    },
  };
}
