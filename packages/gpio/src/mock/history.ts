// State histories are for tests and diagnostics, but the mock also runs for weeks (demo,
// charts with gpio.access=none): keep the most recent entries, not all of them.

export const DEFAULT_HISTORY_LIMIT = 10_000;

/** Append `item`, trimming the oldest entries in batches so the cost stays amortised O(1). */
export function pushBounded<T>(history: T[], item: T, limit: number): void {
  history.push(item);
  if (history.length > limit + Math.max(1, limit >> 3)) history.splice(0, history.length - limit);
}
