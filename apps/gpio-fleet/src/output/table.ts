// Plain-text tables with aligned columns. Colour is an option of the renderer, decided by the
// caller from the terminal (useColour), so the same rows render identically in tests.

export type Tone = 'ok' | 'warn' | 'bad' | 'dim' | undefined;

export interface Cell {
  text: string;
  tone?: Tone;
}

export type CellInput = string | number | Cell;

const CODES: Record<Exclude<Tone, undefined>, string> = { ok: '32', warn: '33', bad: '31', dim: '2' };

function cell(c: CellInput): Cell {
  return typeof c === 'object' ? c : { text: String(c) };
}

/** Column widths follow the visible text; colour codes are added after padding. */
export function renderTable(headers: readonly string[], rows: readonly (readonly CellInput[])[], options: { colour?: boolean } = {}): string {
  const cells = rows.map((r) => headers.map((_, i) => cell(r[i] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.text.length)));
  const line = (parts: Cell[]) =>
    parts
      .map((c, i) => {
        const padded = i === parts.length - 1 ? c.text : c.text.padEnd(widths[i]!);
        return options.colour && c.tone ? `\u001b[${CODES[c.tone]}m${padded}\u001b[0m` : padded;
      })
      .join('   ')
      .trimEnd();
  return [line(headers.map((h) => ({ text: h }))), ...cells.map(line)].join('\n') + '\n';
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}
