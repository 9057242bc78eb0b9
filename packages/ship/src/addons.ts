// Native addons shipped beside the executables (an SEA can only require builtins):
// - gpiochip.node, packages/gpio's own N-API binding to the GPIO character device, built by
//   its build script (packages/gpio/native/gpiochip/build.mjs) for each target;
// - onoff and its epoll addon, which is cross-compiled here against each embedded runtime's
//   own headers (include/node in the node-linux-* package) with Debian's cross g++.
// pigpio is not shipped: its addon links the pigpio C library, which Debian does not package
// (see README.md).
import { createRequire } from 'node:module';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './exec.js';
import { exists, fileSize, populateAtomically, readElf } from './files.js';
import { formatBytes } from './format.js';
import { repoRoot, shipDir } from './paths.js';
import type { Progress } from './progress.js';
import type { Runtime } from './runtime.js';
import type { Target } from './targets.js';

/** Packages whose runtime closure goes into native-linux-<arch>/node_modules. */
export const SHIPPED_NATIVE_ROOTS = ['onoff'] as const;
/** Needed to compile epoll, not to run it. */
export const BUILD_ONLY_PACKAGES = new Set(['nan']);
/** Not needed at run time; left out of the shipped copies. */
const OMIT = new Set(['node_modules', 'test', 'tests', 'example', 'examples', 'integration-test', 'build', '.github']);
/** Also left out of addon packages: their C++ sources and build description. */
const OMIT_NATIVE_SOURCES = new Set(['src', 'binding.gyp']);

export interface ResolvedPackage {
  name: string;
  version: string;
  dir: string;
  dependencies: string[];
}

function resolvePackageDir(name: string, fromDir: string): string {
  const req = createRequire(join(fromDir, 'package.json'));
  return dirname(req.resolve(`${name}/package.json`));
}

async function readManifest(dir: string): Promise<{ name: string; version: string; dependencies?: Record<string, string> }> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
}

/** The runtime dependency closure of `roots`, resolved the way this repo installed them (package-lock). */
export async function runtimeClosure(roots: readonly string[], fromDir: string = shipDir): Promise<ResolvedPackage[]> {
  const out = new Map<string, ResolvedPackage>();
  const queue: { name: string; from: string }[] = roots.map((name) => ({ name, from: fromDir }));
  while (queue.length > 0) {
    const { name, from } = queue.shift() as { name: string; from: string };
    if (BUILD_ONLY_PACKAGES.has(name)) continue;
    const dir = resolvePackageDir(name, from);
    const m = await readManifest(dir);
    const seen = out.get(name);
    if (seen) {
      // A flat node_modules can hold one version of each package.
      if (seen.version !== m.version) throw new Error(`two versions of ${name} needed (${seen.version}, ${m.version}); the flat native layout cannot hold both`);
      continue;
    }
    const dependencies = Object.keys(m.dependencies ?? {});
    out.set(name, { name, version: m.version, dir, dependencies });
    for (const dep of dependencies) queue.push({ name: dep, from: dir });
  }
  return [...out.values()];
}

export interface BuiltAddon {
  /** The compiled epoll.node for this target. */
  file: string;
  epollVersion: string;
  bytes: number;
}

/** Cross-compile epoll for `target` against `runtime`'s headers; cached per epoll and Node version. */
export async function buildEpoll(target: Target, runtime: Runtime, cache: string, progress: Progress): Promise<BuiltAddon> {
  const epollDir = resolvePackageDir('epoll', resolvePackageDir('onoff', shipDir));
  const nanDir = resolvePackageDir('nan', epollDir);
  const epoll = await readManifest(epollDir);
  const nan = await readManifest(nanDir);
  const dir = join(cache, 'addons', `epoll-${epoll.version}-nan-${nan.version}-node-${runtime.pin.version}-linux-${target.arch}`);
  const file = join(dir, 'epoll.node');
  const label = `addon ${target.arch}: epoll@${epoll.version} for node ${runtime.pin.version}`;
  if (await exists(file)) {
    const bytes = await fileSize(file);
    progress.info(`${label}: cached (${formatBytes(bytes)})`);
    return { file, epollVersion: epoll.version, bytes };
  }
  return progress.step(
    label,
    async () => {
      await populateAtomically(dir, async (scratch) => {
        // Build in a copy: the repo's node_modules/epoll keeps its host build untouched.
        const work = join(scratch, 'node_modules', 'epoll');
        await cp(epollDir, work, { recursive: true, filter: (src) => !src.startsWith(join(epollDir, 'build')) });
        await cp(nanDir, join(scratch, 'node_modules', 'nan'), { recursive: true });
        const gyp = createRequire(join(shipDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
        const tools = target.toolPrefix;
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          CC: `${tools}gcc`,
          CXX: `${tools}g++`,
          LINK: `${tools}g++`,
          AR: `${tools}ar`,
          // node-gyp must not pick up npm's nodedir (the host's headers) from the environment.
          npm_config_nodedir: runtime.nodedir,
        };
        await run(
          process.execPath,
          [gyp, 'rebuild', `--nodedir=${runtime.nodedir}`, `--arch=${target.nodeArch}`, '--jobs=1', `--devdir=${join(scratch, 'gyp-dev')}`],
          { cwd: work, env },
        );
        const built = join(work, 'build', 'Release', 'epoll.node');
        await run(`${tools}strip`, ['--strip-unneeded', built]);
        const elf = await readElf(built);
        if (elf.machine !== target.elf.machine || elf.bits !== target.elf.bits) {
          throw new Error(`epoll.node for ${target.arch} has ELF machine ${elf.machine} (${elf.bits}-bit); expected ${target.elf.machine}`);
        }
        await cp(built, join(scratch, 'epoll.node'));
        await rm(join(scratch, 'node_modules'), { recursive: true, force: true });
        await rm(join(scratch, 'gyp-dev'), { recursive: true, force: true });
      });
      return { file, epollVersion: epoll.version, bytes: await fileSize(file) };
    },
    (a) => formatBytes(a.bytes),
  );
}

/** packages/gpio's addon file name; its loader looks for native-linux-<arch>/gpiochip.node. */
export const GPIOCHIP_ADDON = 'gpiochip.node';

/** Build packages/gpio's gpiochip.node for `target` with that package's own script (it skips up-to-date builds). */
export async function buildGpiochip(target: Target, progress: Progress): Promise<string> {
  const native = join(repoRoot, 'packages', 'gpio', 'native', 'gpiochip');
  const file = join(native, 'build', `linux-${target.arch}`, GPIOCHIP_ADDON);
  return progress.step(
    `addon ${target.arch}: ${GPIOCHIP_ADDON} (packages/gpio)`,
    async () => {
      await run(process.execPath, [join(native, 'build.mjs'), target.arch]);
      const elf = await readElf(file);
      if (elf.machine !== target.elf.machine || elf.bits !== target.elf.bits) {
        throw new Error(`${file} has ELF machine ${elf.machine} (${elf.bits}-bit); expected ${target.elf.machine} for ${target.arch}`);
      }
      return file;
    },
    (f) => f.slice(repoRoot.length + 1),
  );
}

export interface NativeDir {
  dir: string;
  packages: { name: string; version: string }[];
}

/** native-linux-<arch>/node_modules/<pkg>: the layout packages/gpio's native-modules loader searches. */
export function nativeDirName(target: Target): string {
  return `native-linux-${target.arch}`;
}

/** Write gpiochip.node and the closure of onoff (with epoll's addon for this target) beside the executables. */
export async function assembleNativeDir(target: Target, addon: BuiltAddon, gpiochip: string, binDir: string): Promise<NativeDir> {
  const dir = join(binDir, nativeDirName(target));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(gpiochip, join(dir, GPIOCHIP_ADDON));
  const packages = await runtimeClosure(SHIPPED_NATIVE_ROOTS);
  for (const p of packages) {
    const dest = join(dir, 'node_modules', p.name);
    const isAddon = await exists(join(p.dir, 'binding.gyp'));
    await mkdir(dest, { recursive: true });
    await cp(p.dir, dest, {
      recursive: true,
      filter: (src) => {
        if (src === p.dir) return true;
        const top = src.slice(p.dir.length + 1).split('/')[0] ?? '';
        return !OMIT.has(top) && !(isAddon && OMIT_NATIVE_SOURCES.has(top));
      },
    });
    if (p.name === 'epoll') {
      if (p.version !== addon.epollVersion) throw new Error(`epoll ${p.version} is installed but the addon was built from ${addon.epollVersion}`);
      // bindings() looks for build/Release/<name>.node under the package root.
      await mkdir(join(dest, 'build', 'Release'), { recursive: true });
      await cp(addon.file, join(dest, 'build', 'Release', 'epoll.node'));
    }
  }
  const list = packages.map(({ name, version }) => ({ name, version }));
  await writeFile(join(dir, 'PACKAGES.json'), `${JSON.stringify({ arch: target.arch, addons: [GPIOCHIP_ADDON], packages: list }, null, 2)}\n`);
  return { dir, packages: list };
}
