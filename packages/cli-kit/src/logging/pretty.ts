// One log record as a short line for a person: `HH:MM:SS.mmm level msg key=value ...`, local
// time, numbers to four significant digits, and colour only when asked for.
import type { Fields } from './logger.js';

const LEVEL_COLOUR: Record<string, string> = { debug: '2', info: '36', warn: '33', error: '1;31' };

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

function clock(t: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}.${p(t.getMilliseconds(), 3)}`;
}

function value(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v === '' || /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v instanceof Error) return JSON.stringify(v.message);
  // A list of names (lamps=red,amber) reads better bare than as JSON.
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return value(v.join(','));
  return JSON.stringify(v) ?? String(v);
}

export function prettyLine(time: Date, level: string, msg: string, fields: Fields, colour: boolean): string {
  const pairs = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${paint(colour, '2', `${k}=`)}${value(v)}`);
  return [paint(colour, '2', clock(time)), paint(colour, LEVEL_COLOUR[level] ?? '0', level.padEnd(5)), msg, ...pairs].join(' ');
}
