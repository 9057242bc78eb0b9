// Finds and loads gpiochip.node, our own N-API binding to the kernel's GPIO character device
// (native/gpiochip/src/gpiochip.c). It is a bare shared object, not an npm package, so it
// is loaded with process.dlopen, which also works inside a single executable application.
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../../errors.js';
import { NATIVE_DIR_ENV, nativeArchDir } from '../native-modules.js';

/** An opaque line request handle (a napi external). */
export type LineHandle = { readonly __gpiochipLine: unique symbol };

export interface ChipInfo {
  name: string;
  label: string;
  lines: number;
}

export interface LineInfo {
  offset: number;
  name: string;
  consumer: string;
  flags: number;
}

/** What gpiochip.node exports. */
export interface GpiochipAddon {
  openChip(path: string): number;
  closeFd(fd: number): void;
  chipInfo(fd: number): ChipInfo;
  lineInfo(fd: number, offset: number): LineInfo;
  /** outputValue is ignored unless flags include OUTPUT (-1: none). */
  requestLine(chipFd: number, offset: number, consumer: string, flags: number, outputValue: number): LineHandle;
  lineGet(line: LineHandle): number;
  lineSet(line: LineHandle, value: number): void;
  /** Returns CLOCK_MONOTONIC ns (mod 2^53) read right after the ioctl. */
  lineSetConfig(line: LineHandle, flags: number, outputValue: number): number;
  /** The listener gets the kernel's per-line sequence number too: gapless unless edges were lost. */
  lineWatch(line: LineHandle, listener: (timestampNs: number, rising: boolean, seqno: number) => void): void;
  lineUnwatch(line: LineHandle): void;
  lineRelease(line: LineHandle): void;
  monotonicNs(): number;
  readonly constants: Readonly<Record<string, number>>;
}

export const ADDON_FILE = 'gpiochip.node';

export interface AddonContext {
  env: NodeJS.ProcessEnv;
  execPath: string;
  arch: string;
  /** URL or path of a module inside packages/gpio (src/ or dist/), for the development build. */
  moduleUrl: string | undefined;
}

export interface AddonCandidate {
  readonly path: string | undefined;
  readonly note: string;
}

/**
 * Where gpiochip.node may be, in order. Pure. $GPIO_FLEET_NATIVE_DIR/gpiochip.node, then
 * native-linux-<arch>/gpiochip.node beside the executable (the standalone builds), then the
 * development build in packages/gpio/native/gpiochip/build/linux-<arch>/.
 */
export function addonCandidates(ctx: AddonContext): AddonCandidate[] {
  const archDir = nativeArchDir(ctx.arch);
  const fromEnv = ctx.env[NATIVE_DIR_ENV];
  const out: AddonCandidate[] = [
    fromEnv
      ? { path: join(resolve(fromEnv), ADDON_FILE), note: `${NATIVE_DIR_ENV}=${fromEnv}` }
      : { path: undefined, note: `${NATIVE_DIR_ENV} is not set` },
    archDir
      ? { path: join(dirname(ctx.execPath), archDir, ADDON_FILE), note: `beside ${ctx.execPath}` }
      : { path: undefined, note: `no native build for architecture ${ctx.arch}` },
  ];
  if (ctx.moduleUrl && archDir) {
    const file = ctx.moduleUrl.startsWith('file:') ? fileURLToPath(ctx.moduleUrl) : ctx.moduleUrl;
    // This module sits at packages/gpio/{src,dist}/backends/gpiochip/.
    const pkg = resolve(dirname(file), '..', '..', '..');
    const buildDir = archDir.replace(/^native-/, '');
    out.push({ path: join(pkg, 'native', 'gpiochip', 'build', buildDir, ADDON_FILE), note: 'development build' });
  } else {
    out.push({ path: undefined, note: 'development build: not applicable in a bundle' });
  }
  return out;
}

function thisModuleUrl(): string | undefined {
  // In the CommonJS bundle of a standalone executable import.meta is empty.
  const url = (import.meta as { url?: unknown }).url;
  return typeof url === 'string' ? url : undefined;
}

export interface LoadedAddon {
  addon: GpiochipAddon;
  path: string;
}

let cached: LoadedAddon | undefined;

/** Load gpiochip.node once; BackendUnavailableError lists every place tried. */
export function loadGpiochipAddon(context: Partial<AddonContext> = {}): LoadedAddon {
  const ctx: AddonContext = {
    env: context.env ?? process.env,
    execPath: context.execPath ?? process.execPath,
    arch: context.arch ?? process.arch,
    moduleUrl: 'moduleUrl' in context ? context.moduleUrl : thisModuleUrl(),
  };
  const tried: string[] = [];
  for (const c of addonCandidates(ctx)) {
    if (c.path === undefined) {
      tried.push(`${c.note} (skipped)`);
      continue;
    }
    if (cached?.path === c.path) return cached;
    if (!existsSync(c.path)) {
      tried.push(`${c.path} (${c.note}): not found`);
      continue;
    }
    const mod = { exports: {} as unknown };
    try {
      process.dlopen(mod, c.path);
    } catch (err) {
      // A file that is there but does not load (wrong architecture, old glibc) is the answer,
      // not a reason to try elsewhere.
      throw new BackendUnavailableError(
        'gpiochip',
        `cannot load the native addon ${c.path}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    cached = { addon: mod.exports as GpiochipAddon, path: c.path };
    return cached;
  }
  const archDir = nativeArchDir(ctx.arch) ?? `native-linux-${ctx.arch}`;
  throw new BackendUnavailableError(
    'gpiochip',
    `native addon ${ADDON_FILE} not found. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
      `Build it with "npm run build:native -w @gpio-fleet/gpio", or for a standalone executable place it at ` +
      `${join(dirname(ctx.execPath), archDir, ADDON_FILE)} or $${NATIVE_DIR_ENV}/${ADDON_FILE}.`,
  );
}

const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(osConstants.errno).map(([name, num]) => [num, name] as const),
);

/** The errno name (EBUSY, EACCES, ...) of an error thrown by the addon, if it carries one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const n = (err as { errno?: unknown }).errno;
  return typeof n === 'number' ? (ERRNO_NAMES.get(n) ?? `E${n}`) : undefined;
}
