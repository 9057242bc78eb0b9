// "reading pods 120/1000" on stderr while a long fetch runs, only on a terminal: piped or
// redirected output never gets progress lines mixed into it.

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** One more item done. */
  tick(): void;
  /** Clears the line. */
  done(): void;
}

const NONE: Progress = { tick: () => undefined, done: () => undefined };

/** Redraws at most every `intervalMs`, and always for the last item. */
export function progress(stream: ProgressStream, label: string, total: number, intervalMs = 100, now: () => number = Date.now): Progress {
  if (stream.isTTY !== true || total === 0) return NONE;
  let count = 0;
  let drawn = -Infinity;
  let shown = false;
  const draw = () => {
    stream.write(`\r\u001b[K${label} ${count}/${total}`);
    shown = true;
    drawn = now();
  };
  return {
    tick() {
      count++;
      if (count === total || now() - drawn >= intervalMs) draw();
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
