// Histogram buckets for quantities that span decades (charge times, lateness).

/** Exponential bucket bounds from `start` to `end` inclusive, `perDecade` per factor of 10. */
export function logBuckets(start: number, end: number, perDecade: number): number[] {
  const out: number[] = [];
  const steps = Math.round(Math.log10(end / start) * perDecade);
  for (let i = 0; i <= steps; i++) out.push(Number((start * 10 ** (i / perDecade)).toPrecision(3)));
  return out;
}
