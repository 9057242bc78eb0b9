// Structured logs on stderr (stdout stays free for program output such as --once): one JSON
// object per line, which collectors in a cluster parse without regexes, or, for a person at a
// terminal, one short pretty line per record (log-format.ts decides which).
import type { LogFormat } from './log-format.js';
import { prettyLine } from './pretty.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Fields on every line (app name, node). Pretty lines leave them out: a terminal shows one process. */
  base?: Fields;
  /** json (default) or pretty. */
  format?: LogFormat;
  /** ANSI colours in pretty lines. */
  colour?: boolean;
  write?: (line: string) => void;
  now?: () => Date;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

const RESERVED = new Set(['time', 'level', 'msg']);
const withoutReserved = (r: Fields): Fields => Object.fromEntries(Object.entries(r).filter(([k]) => !RESERVED.has(k)));

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const processFields = options.base ?? {};
  const pretty = options.format === 'pretty';
  const colour = options.colour === true;
  const make = (childFields: Fields): Logger => {
    const log =
      (level: LogLevel) =>
      (msg: string, fields: Fields = {}): void => {
        if (LOG_LEVELS.indexOf(level) < threshold) return;
        if (pretty) {
          write(`${prettyLine(now(), level, msg, withoutReserved({ ...childFields, ...fields }), colour)}\n`);
          return;
        }
        const record: Fields = { ...processFields, ...childFields };
        for (const [k, v] of Object.entries(fields)) record[k] = serialise(v);
        // time, level and msg are what collectors key on: a field can never replace them.
        write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...withoutReserved(record) })}\n`);
      };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...childFields, ...fields }),
    };
  };
  return make({});
}
