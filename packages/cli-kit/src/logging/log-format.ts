// How log lines look. `json` is for collectors (Kubernetes, journald); `pretty` is for a
// person at a terminal; `auto` picks pretty only when stderr is a terminal, so anything that
// captures stderr through a pipe or a file keeps getting JSON.
import { useColour } from './colour.js';

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormatChoice = (typeof LOG_FORMATS)[number];
export type LogFormat = Exclude<LogFormatChoice, 'auto'>;

export interface ResolvedLogFormat {
  format: LogFormat;
  /** ANSI colours in pretty lines: a terminal only, never with NO_COLOR. */
  colour: boolean;
}

export function resolveLogFormat(choice: LogFormatChoice, stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): ResolvedLogFormat {
  const format: LogFormat = choice === 'auto' ? (stream.isTTY === true ? 'pretty' : 'json') : choice;
  return { format, colour: format === 'pretty' && useColour(stream, env) };
}
