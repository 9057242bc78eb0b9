// Each backend timestamps edges with its own counter (pigpio: uint32 µs that wraps after
// ~72 min; kernel: ns). Differences must survive a wrap, so they go through one function.

export interface TickSource {
  /** Seconds per tick, e.g. 1e-6 for pigpio, 1e-9 for kernel timestamps. */
  readonly unitSeconds: number;
  /** The counter wraps to 0 at this value (2**32 for pigpio). */
  readonly modulus: number;
  /** The current tick, on the same counter that edge events use. */
  now(): number;
}

/** Seconds from tick `from` to tick `to`, correct across one wrap of the counter. */
export function tickDiffSeconds(source: Pick<TickSource, 'unitSeconds' | 'modulus'>, from: number, to: number): number {
  const m = source.modulus;
  const d = (((to - from) % m) + m) % m;
  return d * source.unitSeconds;
}

/** Nanosecond ticks derived from a Clock; wraps at 2**53 so the number stays exact. */
export const NS_MODULUS = 2 ** 53;

/**
 * Signed seconds from `from` to `to`, taking the shorter way round the counter: an event
 * stamped a hair before `from` gives a small negative value instead of a near-full wrap.
 */
export function tickDeltaSeconds(source: Pick<TickSource, 'unitSeconds' | 'modulus'>, from: number, to: number): number {
  const m = source.modulus;
  let d = (((to - from) % m) + m) % m;
  if (d > m / 2) d -= m;
  return d * source.unitSeconds;
}
