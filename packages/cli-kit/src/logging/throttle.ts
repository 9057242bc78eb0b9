// A warning that can repeat many times a second (a skipped reading) is logged at most once
// per interval, with how many times it happened since: the log stays readable and nothing
// is hidden.

export interface Throttle {
  /**
   * Count one occurrence. Returns how many occurred since the last one let through (this one
   * included) when this one may be logged, and undefined while the interval has not passed.
   */
  hit(): number | undefined;
}

/** `now` is in seconds on any monotonic clock (injected by tests). */
export function createThrottle(intervalSeconds: number, now: () => number = () => performance.now() / 1000): Throttle {
  let last: number | undefined;
  let count = 0;
  return {
    hit() {
      count++;
      const t = now();
      if (last !== undefined && t - last < intervalSeconds) return undefined;
      last = t;
      const n = count;
      count = 0;
      return n;
    },
  };
}
