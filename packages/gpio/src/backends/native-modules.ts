// Finds and loads an optional npm package with a native addon (pigpio, onoff) only when a
// backend needs it. Three places, in order: GPIO_FLEET_NATIVE_DIR, a native-linux-<arch>
// directory beside the running executable (where the standalone SEA builds ship their
// addons, since an SEA can only require builtins), then ordinary resolution from this package.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { BackendUnavailableError } from '../errors.js';

export const NATIVE_DIR_ENV = 'GPIO_FLEET_NATIVE_DIR';

/** Where a package was found, for logs and error messages. */
export type NativeModuleSource = 'env' | 'beside-executable' | 'package-resolution';

export interface LocatedNativeModule {
  readonly name: string;
  /** Absolute directory of the package (the one holding its package.json). */
  readonly packageDir: string;
  readonly source: NativeModuleSource;
  /** A CommonJS require rooted at the package, for loading it or files inside it. */
  readonly require: NodeJS.Require;
}

export interface NativeModuleContext {
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  arch?: string;
  /** File or file URL that step 3 resolves from; defaults to this module. */
  resolveFrom?: string;
  /** Backend named in errors (defaults to the package name). */
  backend?: string;
  /** What to tell the user to install, e.g. "npm install pigpio". */
  installHint?: string;
}

/** The directory name the SEA builds use per architecture; undefined for others. */
export function nativeArchDir(arch: string): string | undefined {
  switch (arch) {
    case 'x64':
      return 'native-linux-x64';
    case 'arm64':
      return 'native-linux-arm64';
    case 'arm':
      // The 32-bit builds target ARMv7 (Pi 2 and later); the directory says so.
      return 'native-linux-armv7';
    default:
      return undefined;
  }
}

export interface NativeCandidate {
  readonly source: Exclude<NativeModuleSource, 'package-resolution'>;
  /** Where the package directory would be; undefined when this place does not apply. */
  readonly packageDir: string | undefined;
  /** Why it does not apply, or how the path was derived. */
  readonly note: string;
}

/** The fixed-path candidates (steps 1 and 2), in order. Pure: no file system access. */
export function nativeCandidates(
  name: string,
  ctx: Required<Pick<NativeModuleContext, 'env' | 'execPath' | 'arch'>>,
): NativeCandidate[] {
  const fromEnv = ctx.env[NATIVE_DIR_ENV];
  const archDir = nativeArchDir(ctx.arch);
  return [
    fromEnv
      ? { source: 'env', packageDir: join(resolve(fromEnv), 'node_modules', name), note: `${NATIVE_DIR_ENV}=${fromEnv}` }
      : { source: 'env', packageDir: undefined, note: `${NATIVE_DIR_ENV} is not set` },
    archDir
      ? { source: 'beside-executable', packageDir: join(dirname(ctx.execPath), archDir, 'node_modules', name), note: `beside ${ctx.execPath}` }
      : { source: 'beside-executable', packageDir: undefined, note: `no native directory for architecture ${ctx.arch}` },
  ];
}

function defaultResolveFrom(): string {
  // In a CommonJS bundle (the SEA build) import.meta is empty; resolve from the executable then.
  const url = (import.meta as { url?: unknown }).url;
  return typeof url === 'string' ? url : process.execPath;
}

/** Find `name` without loading it. Throws BackendUnavailableError listing every path tried. */
export function locateNativeModule(name: string, context: NativeModuleContext = {}): LocatedNativeModule {
  const ctx = {
    env: context.env ?? process.env,
    execPath: context.execPath ?? process.execPath,
    arch: context.arch ?? process.arch,
  };
  const tried: string[] = [];
  for (const c of nativeCandidates(name, ctx)) {
    if (c.packageDir === undefined) {
      tried.push(`${c.note} (skipped)`);
      continue;
    }
    if (existsSync(join(c.packageDir, 'package.json'))) {
      // createRequire on an absolute path works inside an SEA, where plain require cannot
      // reach the file system.
      return { name, packageDir: c.packageDir, source: c.source, require: createRequire(join(c.packageDir, 'package.json')) };
    }
    tried.push(`${c.packageDir} (${c.note}): not found`);
  }

  const from = context.resolveFrom ?? defaultResolveFrom();
  const req = createRequire(from);
  try {
    const manifest = req.resolve(`${name}/package.json`);
    const packageDir = dirname(manifest);
    return { name, packageDir, source: 'package-resolution', require: createRequire(manifest) };
  } catch {
    const searched = req.resolve.paths(name) ?? [];
    for (const p of searched) tried.push(`${join(p, name)} (package resolution): not found`);
  }

  const backend = context.backend ?? name;
  const archDir = nativeArchDir(ctx.arch) ?? `native-linux-${ctx.arch}`;
  const install = context.installHint ?? `npm install ${name}`;
  throw new BackendUnavailableError(
    backend,
    `the npm package "${name}" is not installed. Tried:\n${tried.map((t) => `  - ${t}`).join('\n')}\n` +
      `Install it: ${install} (next to the app), or for a standalone executable place it at ` +
      `${join(dirname(ctx.execPath), archDir, 'node_modules', name)} or in $${NATIVE_DIR_ENV}/node_modules/${name}.`,
  );
}

/**
 * Locate and require `name`. A package that is found but fails to load (an addon built for
 * another architecture or Node version, a missing shared library) is a BackendUnavailableError too.
 */
export function loadNativeModule<T = unknown>(name: string, context: NativeModuleContext = {}): T {
  const found = locateNativeModule(name, context);
  try {
    return found.require(found.packageDir) as T;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new BackendUnavailableError(
      context.backend ?? name,
      `the npm package "${name}" at ${found.packageDir} failed to load: ${msg}. ` +
        `Its native addon must be built for this machine (${process.platform}-${context.arch ?? process.arch}, Node ${process.versions.node}): ` +
        `run npm rebuild ${name} where it is installed.`,
      { cause: err },
    );
  }
}
