// zstd through Debian's `zstd` CLI (Node 20's zlib has no zstd). Only flags that make the
// output a function of the input, the version and the settings: one thread (the worker
// threads of -T split the input by their own rules), no environment defaults.
import { execFileSync } from 'node:child_process';

export interface ZstdSettings {
  level: number;
  /** Long-distance matching with a window of 2^long bytes; the decoder needs that much memory. */
  long?: number;
}

/**
 * The layers' settings, chosen from the measurements in docs/images.md#zstd-layers: level 22
 * with a 16 MiB window, the largest window whose decoding in containerd (about 37 MB) takes
 * less memory than the app itself. Larger windows save at most 0.15 MB of the arm64 runtime
 * layer and cost up to 110 MB on every pull, a fifth of a Pi Zero 2's memory.
 */
export const LAYER_ZSTD: ZstdSettings = { level: 22, long: 24 };

/** The compression flags, e.g. ["-19", "--long=27"]; levels above 19 need --ultra. */
export function zstdLevelArgs(s: ZstdSettings): string[] {
  if (!Number.isInteger(s.level) || s.level < 1 || s.level > 22) throw new Error(`zstd level ${s.level}: expected an integer 1-22`);
  if (s.long !== undefined && !(Number.isInteger(s.long) && s.long >= 10 && s.long <= 31)) throw new Error(`zstd --long=${s.long}: expected an integer 10-31`);
  return [...(s.level > 19 ? ['--ultra'] : []), `-${s.level}`, ...(s.long !== undefined ? [`--long=${s.long}`] : [])];
}

/** The environment without ZSTD_CLEVEL / ZSTD_NBTHREADS, which would change the defaults. */
function zstdEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZSTD_')));
}

function zstd(args: string[]): string {
  try {
    return execFileSync('zstd', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: zstdEnv() }).trim();
  } catch (e) {
    const err = e as { stderr?: string; status?: number; code?: string };
    if (err.code === 'ENOENT') throw new Error('zstd is not installed (Debian package "zstd")', { cause: e });
    throw new Error(`zstd ${args.join(' ')} failed (exit ${err.status}): ${err.stderr?.trim() ?? String(e)}`, { cause: e });
  }
}

/** "zstd 1.5.4", from `zstd --version`: the bytes of a layer depend on it. */
export function zstdVersion(): string {
  const banner = zstd(['--version']);
  const m = /\bv(\d+\.\d+\.\d+)\b/.exec(banner);
  if (!m) throw new Error(`zstd --version printed no version: ${banner}`);
  return `zstd ${m[1]}`;
}

/** Compress `input` to `output` (overwritten). From a file, so the frame records the content size. */
export function zstdCompressFile(input: string, output: string, s: ZstdSettings): void {
  zstd(['--quiet', '--no-progress', '--single-thread', '--force', ...zstdLevelArgs(s), '-o', output, input]);
}

/** Decompress `input` to `output`; `long` allows a window above the decoder's default 2^27 bytes. */
export function zstdDecompressFile(input: string, output: string, long?: number): void {
  zstd(['--quiet', '--no-progress', '--decompress', '--force', ...(long !== undefined ? [`--long=${long}`] : []), '-o', output, input]);
}

/** The window a frame asks its decoder for (`zstd -lv`): the decoder's memory, about. */
export function zstdWindowBytes(file: string): number {
  const m = /^Window Size: .*\((\d+) B\)$/m.exec(zstd(['--list', '--verbose', file]));
  if (!m) throw new Error(`zstd --list --verbose ${file} names no window size`);
  return Number(m[1]);
}
