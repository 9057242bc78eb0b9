// Durations as people type them: "100ms", "1.5s", "2m"; a bare number means seconds.

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const PATTERN = /^(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)?$/;

export const DURATION_FORM = '<number>[ns|us|ms|s|m|h], e.g. 100ms, 1.5s, 2m (a bare number means seconds)';

/** Seconds, or undefined when `text` is not a non-negative duration. */
export function parseDuration(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

/** A short human form: 0.1 → "100ms", 90 → "1.5m". */
export function formatDuration(seconds: number): string {
  const pick: [number, string][] = [
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'us'],
  ];
  for (const [scale, unit] of pick) {
    if (seconds >= scale) return `${Number((seconds / scale).toPrecision(6))}${unit}`;
  }
  return `${Number((seconds / 1e-9).toPrecision(6))}ns`;
}
