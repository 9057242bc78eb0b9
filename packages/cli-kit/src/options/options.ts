// Options are declared once (flag, env var, default, accepted form, description) and that
// one declaration drives parsing, validation, error messages and --help, so they cannot drift.
import { DURATION_FORM, parseDuration } from './duration.js';
import { UsageError } from './usage-error.js';

export interface Option<T> {
  readonly flag: string;
  readonly env?: string | undefined;
  readonly description: string;
  /** The accepted form, quoted in errors and help. */
  readonly accepted: string;
  /** Default as the user would type it; parsed with the same parser. */
  readonly defaultText?: string | undefined;
  /** A switch takes no value (--once). */
  readonly isSwitch?: boolean;
  /** Placeholder in help, e.g. <duration>. */
  readonly placeholder: string;
  /** Help section. */
  readonly group?: string | undefined;
  /** How a bad value is quoted in errors, for values that may carry a secret (a URL's password). */
  readonly redact?: ((raw: string) => string) | undefined;
  /** Parse a raw value; throw an Error whose message says why it is wrong. */
  parse(raw: string): T;
}

export type OptionSpec = Record<string, Option<unknown>>;
export type OptionValues<S extends OptionSpec> = { -readonly [K in keyof S]: S[K] extends Option<infer T> ? T : never };

interface Common {
  flag: string;
  env?: string;
  description: string;
  group?: string;
}

function build<T>(common: Common & { default?: string }, placeholder: string, accepted: string, parse: (raw: string) => T): Option<T> {
  return { ...common, defaultText: common.default, placeholder, accepted, parse };
}

/** Builders for the usual kinds of option. Without a default the value may be undefined. */
export const opt = {
  duration(c: Common & { default?: string; min?: number; positive?: boolean }): Option<number> {
    const accepted = c.positive ? `a positive duration: ${DURATION_FORM}` : DURATION_FORM;
    return build(c, '<duration>', accepted, (raw) => {
      const s = parseDuration(raw);
      if (s === undefined) throw new Error('not a duration');
      if (c.positive && s <= 0) throw new Error('must be greater than zero');
      if (c.min !== undefined && s < c.min) throw new Error(`must be at least ${c.min} s`);
      return s;
    });
  },

  number(c: Common & { default?: string; min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean }): Option<number> {
    const kind = c.integer ? 'an integer' : 'a number';
    const range = [
      c.min !== undefined ? `${c.exclusiveMin ? '>' : '>='} ${c.min}` : '',
      c.max !== undefined ? `<= ${c.max}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const accepted = range ? `${kind} ${range}` : kind;
    return build(c, c.integer ? '<int>' : '<number>', accepted, (raw) => {
      const t = raw.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) throw new Error('not a number');
      if (c.integer && !Number.isInteger(n)) throw new Error('not an integer');
      if (c.min !== undefined && (c.exclusiveMin ? n <= c.min : n < c.min)) throw new Error('out of range');
      if (c.max !== undefined && n > c.max) throw new Error('out of range');
      return n;
    });
  },

  oneOf<const V extends string>(c: Common & { default?: string; values: readonly V[] }): Option<V> {
    return build(c, `<${c.values.join('|')}>`, `one of ${c.values.join(' | ')}`, (raw) => {
      const v = raw.trim().toLowerCase();
      if (!(c.values as readonly string[]).includes(v)) throw new Error('not one of the accepted values');
      return v as V;
    });
  },

  string(c: Common & { default?: string; placeholder?: string }): Option<string> {
    return build(c, c.placeholder ?? '<text>', 'any text', (raw) => raw);
  },

  /** A value with its own parser (pin names, schedules). The parser's message explains the form. */
  custom<T>(c: Common & { default?: string; placeholder: string; accepted: string; parse: (raw: string) => T; redact?: (raw: string) => string }): Option<T> {
    const { redact, ...common } = c;
    return { ...build(common, c.placeholder, c.accepted, c.parse), ...(redact ? { redact } : {}) };
  },

  switch(c: Common): Option<boolean> {
    return {
      ...c,
      placeholder: '',
      accepted: `--${c.flag} takes no value${c.env ? `; ${c.env} accepts true|false|1|0` : ''}`,
      isSwitch: true,
      parse: (raw) => {
        const v = raw.trim().toLowerCase();
        if (['1', 'true', 'yes', 'on'].includes(v)) return true;
        if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
        throw new Error('not a boolean');
      },
    };
  },
};

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export interface ParseResult<S extends OptionSpec> {
  values: OptionValues<S>;
  positionals: string[];
  help: boolean;
  version: boolean;
  /** Where each value came from, for the start-up log. */
  sources: Record<keyof S, 'flag' | 'env' | 'default' | 'unset'>;
}

/**
 * Parse argv (without node and script) and env against `spec`. Flags win over env, env over
 * defaults; an empty env var counts as unset. Every problem is a UsageError naming the flag
 * or variable, the bad value and the accepted form.
 */
export function parseOptions<S extends OptionSpec>(
  spec: S,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  settings: { positionals?: boolean } = {},
): ParseResult<S> {
  const byFlag = new Map<string, [keyof S, Option<unknown>]>();
  for (const [key, o] of Object.entries(spec)) byFlag.set(o.flag, [key, o]);
  const raw = new Map<keyof S, { text: string; from: string }>();
  const positionals: string[] = [];
  let help = false;
  let version = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '--version') {
      version = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!settings.positionals) throw new UsageError(`unexpected argument "${arg}": this command takes only --flags`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.replace(/^--?/, '').slice(0, eq === -1 ? undefined : eq - (arg.startsWith('--') ? 2 : 1));
    const entry = byFlag.get(name);
    if (!entry) {
      const guess = closest(name, [...byFlag.keys(), 'help', 'version']);
      throw new UsageError(`unknown flag "${arg}"${guess ? `; did you mean --${guess}?` : ''}`);
    }
    const [key, o] = entry;
    if (o.isSwitch) {
      raw.set(key, { text: eq === -1 ? 'true' : arg.slice(eq + 1), from: `--${o.flag}` });
      continue;
    }
    let text: string | undefined;
    if (eq !== -1) text = arg.slice(eq + 1);
    else {
      text = argv[i + 1];
      // A following "--flag" is not a value, but a negative number like "-1" is one.
      if (text === undefined || (text.startsWith('--') && text.length > 2)) {
        throw new UsageError(`flag --${o.flag} needs a value: ${o.accepted}`);
      }
      i++;
    }
    raw.set(key, { text, from: `--${o.flag}` });
  }

  const values = {} as Record<keyof S, unknown>;
  const sources = {} as Record<keyof S, 'flag' | 'env' | 'default' | 'unset'>;
  for (const [key, o] of Object.entries(spec) as [keyof S, Option<unknown>][]) {
    let given = raw.get(key);
    let source: 'flag' | 'env' | 'default' | 'unset' = 'flag';
    if (!given && o.env !== undefined && env[o.env] !== undefined && env[o.env] !== '') {
      given = { text: env[o.env]!, from: `env ${o.env}` };
      source = 'env';
    }
    if (!given && o.defaultText !== undefined) {
      given = { text: o.defaultText, from: `default of --${o.flag}` };
      source = 'default';
    }
    if (!given) {
      values[key] = o.isSwitch ? false : undefined;
      sources[key] = 'unset';
      continue;
    }
    try {
      values[key] = o.parse(given.text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const shown = o.redact ? o.redact(given.text) : given.text;
      // Parsers that already name the value and the accepted form (pins) are quoted as they are.
      const message = why.includes(`"${shown}"`) ? why : `${why}; accepted: ${o.accepted}`;
      throw new UsageError(`invalid ${given.from} value "${shown}": ${message}`);
    }
    sources[key] = source;
  }
  return { values: values as OptionValues<S>, positionals, help, version, sources };
}
