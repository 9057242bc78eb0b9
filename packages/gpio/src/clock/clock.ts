// Time as a dependency: device logic asks a Clock for "now" and for timers, so tests can
// drive it with a virtual clock and never sleep for simulated seconds.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic seconds since an arbitrary origin. */
  now(): number;
  /** Run `fn` after `delaySeconds` (clamped to >= 0). */
  setTimer(fn: () => void, delaySeconds: number): Timer;
}

/** Resolves after `seconds`, or rejects with the signal's reason when aborted first. */
export function sleep(clock: Clock, seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, seconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
