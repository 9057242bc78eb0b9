// Build progress: one line when a step starts and one when it ends, with its time and a
// detail (sizes, cache hits), so a long build never sits silent.
import { formatDuration } from './format.js';

export interface Progress {
  /** Run `fn` as a named step; `detail` describes its result on the closing line. */
  step<T>(label: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T>;
  info(message: string): void;
}

export function createProgress(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Progress {
  return {
    async step(label, fn, detail) {
      write(`[ship] ▸ ${label}`);
      const t0 = performance.now();
      try {
        const result = await fn();
        const extra = detail ? `: ${detail(result)}` : '';
        write(`[ship] ✓ ${label} (${formatDuration(performance.now() - t0)})${extra}`);
        return result;
      } catch (e) {
        write(`[ship] ✗ ${label} failed after ${formatDuration(performance.now() - t0)}`);
        throw e;
      }
    },
    info(message) {
      write(`[ship]   ${message}`);
    },
  };
}

/** For library callers that want no output. */
export const silentProgress: Progress = {
  step: (_label, fn) => fn(),
  info: () => undefined,
};
