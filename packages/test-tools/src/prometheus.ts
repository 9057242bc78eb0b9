// Prometheus' own tooling, from Debian, to check what we expose exactly as a server would.
import { spawnSync } from 'node:child_process';
import { ensureCommand } from './provision/debian.js';

/** Keep only the metric families whose names start with one of `prefixes` (HELP/TYPE/samples). */
export function filterFamilies(text: string, prefixes: readonly string[]): string {
  const keep = (name: string) => prefixes.some((p) => name.startsWith(p));
  return text
    .split('\n')
    .filter((line) => {
      const m = /^# (?:HELP|TYPE) (\S+)/.exec(line) ?? /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
      return m ? keep(m[1]!) : false;
    })
    .join('\n')
    .concat('\n');
}

/** Run `promtool check metrics` on `text`; returns its complaints (empty when clean). */
export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } {
  const promtool = ensureCommand('promtool', 'prometheus');
  const res = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim() };
}

/** Parse the text exposition format into sample lines: name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[lm[1]!] = lm[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the first sample named `name` whose labels include `labels`. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return parseSamples(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
