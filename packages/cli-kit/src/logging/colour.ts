// Whether a stream gets ANSI colours: only a terminal does, and never with NO_COLOR set
// (https://no-color.org) or on a dumb terminal.

export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}
