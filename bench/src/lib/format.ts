// Number formatting and Markdown tables for the printed report and bench/README.md.

/** Fixed significant digits, without exponent notation for the ranges the report uses. */
export function sig(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  if (abs < 1e-4) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

const finite = (x: number | undefined): x is number => Number.isFinite(x);

export const ms = (seconds: number | undefined, digits = 3): string => (finite(seconds) ? `${sig(seconds * 1e3, digits)} ms` : 'n/a');
export const us = (seconds: number | undefined, digits = 3): string => (finite(seconds) ? `${sig(seconds * 1e6, digits)} µs` : 'n/a');
export const pct = (fraction: number | undefined, digits = 2): string => (finite(fraction) ? `${sig(fraction * 100, digits)} %` : 'n/a');
export const mib = (bytes: number | undefined): string => (finite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : 'n/a');
/** Decimal megabytes, as registries and the original study quote image sizes. */
export const mb = (bytes: number | undefined): string => (finite(bytes) ? `${(bytes / 1e6).toFixed(2)} MB` : 'n/a');
export const times = (r: number | undefined): string => (finite(r) ? `${sig(r, 3)}×` : 'n/a');

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
