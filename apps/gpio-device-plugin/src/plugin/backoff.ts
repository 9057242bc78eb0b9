// How long to wait before the next registration attempt: doubling from `initialMs` up to
// `maxMs`, so a kubelet that is still starting is asked again soon, and one that is down for
// long is not asked many times a second.
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1000, maxMs: 30_000 };

/** The delay after `failures` failed attempts in a row (1 or more). */
export function backoffDelay(failures: number, settings: BackoffSettings = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(exponent, 30));
}
