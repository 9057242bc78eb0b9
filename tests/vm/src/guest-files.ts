// Files that go into the VM besides the kernel: busybox, the static helper, our apps with
// their native addons, and the shared libraries their ELF files need.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { build } from 'esbuild';
import { binaryName, EXTERNAL_PACKAGES, outputDirs, runtimeClosure, type AppName } from '@gpio-fleet/ship';
import type { CpioEntry } from './cpio.js';
import { vmCacheRoot } from './kernel.js';
import { run, type Log } from './progress.js';

export const vmDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(vmDir, '..', '..');
export const APPS: readonly AppName[] = ['light-sensor', 'traffic-light'];

const fileEntry = (path: string, hostFile: string, mode?: number): CpioEntry => ({
  kind: 'file',
  path,
  data: readFileSync(hostFile),
  mode: mode ?? statSync(hostFile).mode & 0o777,
});

/** Static busybox from Debian's busybox-static. */
export function busyboxEntry(): CpioEntry {
  ensureDebianPackages(['busybox-static']);
  return fileEntry('bin/busybox', '/bin/busybox', 0o755);
}

/** guest/simhelper.c compiled statically, cached by the hash of its source. */
export async function simhelperEntry(log: Log): Promise<CpioEntry> {
  ensureDebianPackages(['gcc', 'libc6-dev', 'linux-libc-dev']);
  const source = join(vmDir, 'guest', 'simhelper.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const out = join(vmCacheRoot(), 'tools', `simhelper-${hash}`);
  if (!existsSync(out)) {
    log('compiling guest/simhelper.c (static)');
    await mkdir(dirname(out), { recursive: true });
    await run('gcc', ['-static', '-O2', '-Wall', '-Wextra', '-o', out, source]);
  }
  return fileEntry('bin/simhelper', out, 0o755);
}

/** Every regular file under hostDir, placed under guestDir with its mode. */
export function treeEntries(hostDir: string, guestDir: string): CpioEntry[] {
  const out: CpioEntry[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(fileEntry(join(guestDir, relative(hostDir, p)), p));
    }
  };
  walk(hostDir);
  return out;
}

/** The shared libraries (and loader) of dynamically linked ELF files, at their host paths. */
export async function sharedLibraryEntries(elfFiles: readonly string[]): Promise<CpioEntry[]> {
  const libs = new Set<string>();
  for (const f of elfFiles) {
    let out: string;
    try {
      out = await run('ldd', [f]);
    } catch {
      continue; // static or not an ELF: nothing to add
    }
    for (const line of out.split('\n')) {
      const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
      if (m) libs.add(m[1]!);
    }
  }
  return [...libs].map((l) => fileEntry(l.replace(/^\//, ''), realpathSync(l), 0o755));
}

export interface AppPayload {
  /** "executables": dist/bin/<app>-linux-x64 (the shipped SEA builds); "bundle": node + esbuild bundle. */
  mode: 'executables' | 'bundle';
  entries: CpioEntry[];
  /** Host ELF files whose shared libraries must come along. */
  elfFiles: string[];
  notes: string[];
}

/**
 * The fallback's bundle: the app as built by tsc (apps/<app>/dist/cli.js) in one ES module,
 * native packages left external as in the shipped builds.
 */
async function bundleBuiltApp(app: AppName, outDir: string): Promise<string> {
  const entry = join(repoRoot, 'apps', app, 'dist', 'cli.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const outfile = join(outDir, `${app}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: [...EXTERNAL_PACKAGES],
    // CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __vmCreateRequire } from 'node:module'; const require = __vmCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}

const devAddon = (): string => join(repoRoot, 'packages', 'gpio', 'native', 'gpiochip', 'build', 'linux-x64', 'gpiochip.node');

/**
 * Our x64 apps for the VM, as /app/<app> with /app/native-linux-x64 beside them (where the
 * loaders look next to the executable). Prefers the standalone executables in dist/bin; falls
 * back to the host's node with an esbuild bundle when they have not been built.
 */
export async function appPayload(log: Log, prefer: 'auto' | 'bundle' = 'auto'): Promise<AppPayload> {
  const bin = outputDirs(join(repoRoot, 'dist')).bin;
  const notes: string[] = [];
  const entries: CpioEntry[] = [];
  const elfFiles: string[] = [];
  const exes = APPS.map((a) => join(bin, binaryName(a, 'x64')));
  const addon = devAddon();
  if (!existsSync(addon)) throw new Error(`${addon} is missing: run "npm run build -w @gpio-fleet/gpio" first`);

  if (prefer === 'auto' && exes.every((e) => existsSync(e))) {
    APPS.forEach((a, i) => entries.push(fileEntry(`app/${a}`, exes[i]!, 0o755)));
    elfFiles.push(...exes);
    const native = join(bin, 'native-linux-x64');
    const shipped = join(native, 'gpiochip.node');
    if (existsSync(native)) {
      entries.push(...treeEntries(native, 'app/native-linux-x64').filter((e) => e.path !== 'app/native-linux-x64/gpiochip.node'));
      elfFiles.push(...treeEntries(native, '').filter((e) => e.path.endsWith('.node')).map((e) => join(native, e.path)));
    } else {
      notes.push(`${native} is missing: the onoff backend will not find its package`);
    }
    // The addon under test is the tree's current build; a shipped copy that differs is stale.
    if (!existsSync(shipped)) notes.push(`${shipped} is missing (ship did not copy it): supplied the current build`);
    else if (!readFileSync(shipped).equals(readFileSync(addon))) notes.push(`${shipped} differs from the current build (stale dist/bin): supplied the current build`);
    entries.push(fileEntry('app/native-linux-x64/gpiochip.node', addon, 0o755));
    log(`apps: using the standalone executables ${exes.join(', ')}`);
    return { mode: 'executables', entries, elfFiles, notes };
  }

  notes.push(
    prefer === 'bundle'
      ? `VM_APP=bundle: running the host's node ${process.version} with esbuild bundles`
      : `standalone executables not found (${exes.join(', ')}): running the host's node ${process.version} with esbuild bundles`,
  );
  log(`apps: ${notes[notes.length - 1]}`);
  const bundles = join(vmCacheRoot(), 'bundles');
  entries.push(fileEntry('app/node', process.execPath, 0o755));
  elfFiles.push(process.execPath);
  for (const a of APPS) {
    const file = await bundleBuiltApp(a, bundles);
    entries.push(fileEntry(`app/bundles/${a}.mjs`, file, 0o644));
    entries.push({ kind: 'file', path: `app/${a}`, data: Buffer.from(`#!/bin/sh\nexec /app/node /app/bundles/${a}.mjs "$@"\n`), mode: 0o755 });
  }
  entries.push(fileEntry('app/native-linux-x64/gpiochip.node', addon, 0o755));
  elfFiles.push(addon);
  for (const pkg of await runtimeClosure(['onoff'])) {
    const files = treeEntries(pkg.dir, `app/native-linux-x64/node_modules/${pkg.name}`).filter(
      (e) => !/\/(test|tests|examples?|integration-test|obj\.target)\//.test(e.path),
    );
    entries.push(...files);
    for (const e of files) if (e.path.endsWith('.node')) elfFiles.push(join(pkg.dir, relative(`app/native-linux-x64/node_modules/${pkg.name}`, e.path)));
  }
  return { mode: 'bundle', entries, elfFiles, notes };
}
