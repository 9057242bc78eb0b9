// Files that go into the VM besides the kernel: busybox, the static helper, our apps with
// their native addons, the target's Node runtime for the edge probe, and the shared libraries
// their ELF files need. All for the VM's architecture.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import { build } from 'esbuild';
import {
  binaryName,
  bundleApp,
  cacheRoot,
  createProgress,
  ensureRuntime,
  EXTERNAL_PACKAGES,
  loadRuntimePins,
  outputDirs,
  runtimeClosure,
  TARGETS,
  type AppName,
} from '@gpio-fleet/ship';
import type { VmArch } from './arch.js';
import type { CpioEntry } from './cpio.js';
import { sharedLibraryClosure } from './elf-deps.js';
import { vmCacheRoot } from './kernel.js';
import { run, type Log } from './progress.js';

export const vmDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(vmDir, '..', '..');
export const APPS: readonly AppName[] = ['light-sensor', 'traffic-light'];
/** Runs as its bundle on the guest's node (its --once discovery needs no executable of its own). */
export const DEVICE_PLUGIN: AppName = 'gpio-device-plugin';

/** The device plugin's CommonJS bundle, built from source by ship's bundler (cached by content). */
async function devicePluginEntry(): Promise<CpioEntry> {
  const bundle = await bundleApp(DEVICE_PLUGIN, join(vmCacheRoot(), 'bundles'));
  return fileEntry(`app/bundles/${DEVICE_PLUGIN}.cjs`, bundle.file, 0o644);
}

const fileEntry = (path: string, hostFile: string, mode?: number): CpioEntry => ({
  kind: 'file',
  path,
  data: readFileSync(hostFile),
  mode: mode ?? statSync(hostFile).mode & 0o777,
});

/** Debian's static busybox for the VM's architecture (unpacked with its kernel). */
export const busyboxEntry = (busybox: string): CpioEntry => fileEntry('bin/busybox', busybox, 0o755);

/** guest/simhelper.c compiled statically for the VM's architecture, cached by the hash of its source. */
export async function simhelperEntry(vm: VmArch, log: Log): Promise<CpioEntry> {
  ensureDebianPackages([...vm.ccPackages]);
  const source = join(vmDir, 'guest', 'simhelper.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const out = join(vmCacheRoot(), 'tools', `simhelper-${vm.arch}-${hash}`);
  if (!existsSync(out)) {
    log(`compiling guest/simhelper.c (static, ${vm.cc})`);
    await mkdir(dirname(out), { recursive: true });
    await run(vm.cc, ['-static', '-O2', '-Wall', '-Wextra', '-o', out, source]);
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

/** The shared libraries (and loader) of dynamically linked ELF files, where the guest's loader finds them. */
export async function sharedLibraryEntries(vm: VmArch, elfFiles: readonly string[]): Promise<CpioEntry[]> {
  const libs = await sharedLibraryClosure(elfFiles, vm.libraries);
  return libs.map((l) => fileEntry(l.guestPath.replace(/^\//, ''), l.hostFile, 0o755));
}

export interface AppPayload {
  /** "executables": dist/bin/<app>-linux-<arch> (the shipped SEA builds); "bundle": node + esbuild bundle (x64 only). */
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

/**
 * The tree's current build of gpiochip.node for the VM's architecture (packages/gpio's build
 * script, which skips an up-to-date build and cross-compiles for ARM).
 */
function currentAddon(vm: VmArch): string {
  const native = join(repoRoot, 'packages', 'gpio', 'native', 'gpiochip');
  const r = spawnSync(process.execPath, [join(native, 'build.mjs'), vm.arch], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`building gpiochip.node for ${vm.arch} failed (exit ${r.status ?? r.signal})`);
  return join(native, 'build', `linux-${vm.arch}`, 'gpiochip.node');
}

/** The Node runtime the executables embed (ship's pinned one, cached), for the edge probe. */
async function pinnedRuntime(vm: VmArch, log: Log): Promise<string> {
  const runtime = await ensureRuntime(TARGETS[vm.arch], loadRuntimePins()[vm.arch], cacheRoot(), createProgress((l) => log(l)));
  return runtime.stripped;
}

/**
 * Our apps for the VM, as /app/<app> with /app/native-linux-<arch> beside them (where the
 * loaders look next to the executable), and /app/node with /app/edge-probe.cjs. Uses the
 * standalone executables in dist/bin; on x64, VM_APP=bundle runs the host's node with esbuild
 * bundles instead.
 */
export async function appPayload(vm: VmArch, log: Log, prefer: 'auto' | 'bundle' = 'auto'): Promise<AppPayload> {
  const bin = outputDirs(join(repoRoot, 'dist')).bin;
  const notes: string[] = [];
  const entries: CpioEntry[] = [fileEntry('app/edge-probe.cjs', join(vmDir, 'guest', 'edge-probe.cjs'), 0o644), await devicePluginEntry()];
  const elfFiles: string[] = [];
  const exes = APPS.map((a) => join(bin, binaryName(a, vm.arch)));
  const nativeDir = `native-linux-${vm.arch}`;
  const addon = currentAddon(vm);
  const addonEntry = fileEntry(`app/${nativeDir}/gpiochip.node`, addon, 0o755);

  if (prefer === 'auto' && exes.every((e) => existsSync(e))) {
    APPS.forEach((a, i) => entries.push(fileEntry(`app/${a}`, exes[i]!, 0o755)));
    elfFiles.push(...exes);
    const native = join(bin, nativeDir);
    const shipped = join(native, 'gpiochip.node');
    if (existsSync(native)) {
      entries.push(...treeEntries(native, `app/${nativeDir}`).filter((e) => e.path !== addonEntry.path));
      elfFiles.push(...treeEntries(native, '').filter((e) => e.path.endsWith('.node')).map((e) => join(native, e.path)));
    } else {
      notes.push(`${native} is missing: the onoff backend will not find its package`);
    }
    // The addon under test is the tree's current build; a shipped copy that differs is stale.
    if (!existsSync(shipped)) notes.push(`${shipped} is missing (ship did not copy it): supplied the current build`);
    else if (!readFileSync(shipped).equals(readFileSync(addon))) notes.push(`${shipped} differs from the current build (stale dist/bin): supplied the current build`);
    entries.push(addonEntry);
    const node = await pinnedRuntime(vm, log);
    entries.push(fileEntry('app/node', node, 0o755));
    elfFiles.push(node, addon);
    log(`apps: using the standalone executables ${exes.join(', ')}`);
    return { mode: 'executables', entries, elfFiles, notes };
  }
  if (vm.arch !== 'x64') {
    throw new Error(`${vm.arch}: the executables ${exes.join(', ')} are missing (npm run build:binaries -- --arch ${vm.arch}); VM_APP=bundle exists for x64 only`);
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
  entries.push(addonEntry);
  elfFiles.push(addon);
  for (const pkg of await runtimeClosure(['onoff'])) {
    const files = treeEntries(pkg.dir, `app/${nativeDir}/node_modules/${pkg.name}`).filter(
      (e) => !/\/(test|tests|examples?|integration-test|obj\.target)\//.test(e.path),
    );
    entries.push(...files);
    for (const e of files) if (e.path.endsWith('.node')) elfFiles.push(join(pkg.dir, relative(`app/${nativeDir}/node_modules/${pkg.name}`, e.path)));
  }
  return { mode: 'bundle', entries, elfFiles, notes };
}
