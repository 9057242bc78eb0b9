// The kernel under test, per architecture: Debian's own kernel for amd64, arm64 or armhf (the
// release of the installed linux-headers-amd64, so all three VMs run the same kernel version)
// plus gpio-sim and irq_sim, which Debian does not build, compiled here as out-of-tree modules
// from Debian's linux-source against that architecture's headers package, with Debian's cross
// compilers for ARM. Results are cached under ~/.cache/gpio-fleet/vm/kernel-<abi>-<version>/.
import { existsSync, readlinkSync, symlinkSync, unlinkSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, copyFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import type { TargetArch } from '@gpio-fleet/ship';
import type { VmArch } from './arch.js';
import { DebianDownloader } from './debian-download.js';
import { bash, run, type Log } from './progress.js';

export interface KernelArtifacts {
  arch: TargetArch;
  /** e.g. 6.1.0-57-arm64 */
  abi: string;
  /** Debian package version, e.g. 6.1.192-3 */
  version: string;
  vmlinuz: string;
  /** Module files in load order. */
  modules: string[];
  /** Debian's static busybox for this architecture. */
  busybox: string;
  /** The GPIO number space (CONFIG_ARCH_NR_GPIO): 6.1 hands out dynamic sysfs bases downwards from its end. */
  gpioNumberSpace: number;
  fromCache: boolean;
  /** Seconds per step of the first build (read back from the cache afterwards). */
  timings: Record<string, number>;
}

/** GPIO_FLEET_VM_CACHE, else ~/.cache/gpio-fleet/vm. */
export function vmCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GPIO_FLEET_VM_CACHE) return env.GPIO_FLEET_VM_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpio-fleet', 'vm');
}

/** "linux-headers-6.1.0-57-amd64 (= 6.1.192-3)" -> the ABI without its flavour, and the version. Pure. */
export function parseHeadersDepends(depends: string): { abiNumber: string; version: string } {
  const m = /linux-headers-(\d+\.\d+\.\d+-\d+)-amd64 \(= ([^)]+)\)/.exec(depends);
  if (!m) throw new Error(`cannot find the kernel ABI in linux-headers-amd64's Depends: "${depends}"`);
  return { abiNumber: m[1]!, version: m[2]! };
}

/** 6.1.0-57-arm64 -> 6.1 (the linux-source-X.Y package). Pure. */
export const sourceSeries = (abi: string): string => abi.split('.').slice(0, 2).join('.');

/**
 * irq_sim is built into kernels that select it, so its source lacks a module licence, and it
 * calls irq_to_desc(), which is not exported to modules. generic_handle_irq() does the same
 * for this use (look up the descriptor, run its flow handler) and is exported. Pure.
 */
export function shimIrqSim(source: string): string {
  const call = 'handle_simple_irq(irq_to_desc(irqnum))';
  if (!source.includes(call)) {
    throw new Error('irq_sim.c no longer contains the irq_to_desc() call the module shim replaces; update shimIrqSim()');
  }
  return (
    source.replace(call, 'generic_handle_irq(irqnum)') +
    '\n/* Added by gpio-fleet tests/vm: built as a module for gpio-sim. */\n' +
    'MODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("Interrupt simulator (out-of-tree build for gpio-sim)");\n'
  );
}

/**
 * gpio-sim's device-tree match table only serves module autoloading; we insert the module by
 * hand and create chips through configfs. Debian's modpost (from the host's amd64
 * linux-kbuild) knows the 64-bit size of a table entry only, and rejects a 32-bit ARM module
 * that carries one, so the table's alias export is left out on every architecture. Pure.
 */
export function shimGpioSim(source: string): string {
  const table = 'MODULE_DEVICE_TABLE(of, gpio_sim_of_match);';
  if (!source.includes(table)) {
    throw new Error('gpio-sim.c no longer contains the MODULE_DEVICE_TABLE line the module shim removes; update shimGpioSim()');
  }
  return source.replace(table, '/* MODULE_DEVICE_TABLE(of, ...) left out by gpio-fleet tests/vm: loaded by hand, no aliases needed. */');
}

/**
 * What the suite needs from the kernel's configuration, checked before building: the GPIO
 * character device and sysfs interface built in, configfs as a module, and neither gpio-sim
 * nor irq_sim present (we build both). Returns the GPIO number space. Pure.
 */
export function checkKernelConfig(config: string, abi: string): { gpioNumberSpace: number } {
  const value = (name: string): string | undefined => new RegExp(`^CONFIG_${name}=(.*)$`, 'm').exec(config)?.[1];
  const expect = (name: string, want: string | undefined, why: string): void => {
    const got = value(name);
    if (got !== want) throw new Error(`kernel ${abi}: CONFIG_${name} is ${got ?? 'not set'}, expected ${want ?? 'not set'} (${why}); update tests/vm/src/kernel.ts`);
  };
  expect('GPIO_CDEV', 'y', 'the gpiochip backend');
  expect('GPIO_SYSFS', 'y', 'the onoff backend');
  expect('CONFIGFS_FS', 'm', 'taken from the image as configfs.ko');
  expect('GPIO_SIM', undefined, 'built here as a module');
  expect('IRQ_SIM', undefined, 'built here as a module');
  // 0 means the generic default (include/asm-generic/gpio.h).
  const nr = Number(value('ARCH_NR_GPIO') ?? '0');
  return { gpioNumberSpace: nr > 0 ? nr : 512 };
}

/** The kernel release of the installed linux-headers-amd64: every architecture boots the same one. */
async function kernelRelease(): Promise<{ abiNumber: string; version: string }> {
  const depends = await run('dpkg-query', ['-W', '-f=${Depends}', 'linux-headers-amd64']);
  return parseHeadersDepends(depends);
}

/**
 * gpio-sim.c, gpiolib.h and irq_sim.c of one kernel version, shared by every architecture
 * (linux-source is architecture-independent): the 140 MB package is fetched once per version.
 */
async function kernelSources(downloader: DebianDownloader, series: string, version: string, log: Log): Promise<string> {
  const dir = join(vmCacheRoot(), `linux-source-${version}`);
  if (existsSync(join(dir, 'irq_sim.c'))) return dir;
  const work = `${dir}.work`;
  await rm(work, { recursive: true, force: true });
  log(`linux-source ${version}: downloading (~140 MB) and extracting gpio-sim.c, gpiolib.h, irq_sim.c`);
  const [deb] = await downloader.download([`linux-source-${series}=${version}`], work);
  const inTar = ['drivers/gpio/gpio-sim.c', 'drivers/gpio/gpiolib.h', 'kernel/irq/irq_sim.c'].map((f) => `linux-source-${series}/${f}`);
  await bash(
    `dpkg-deb --fsys-tarfile '${deb}' | tar -xO ./usr/src/linux-source-${series}.tar.xz | tar -xJ -C '${work}' ${inTar.join(' ')}\n` +
      `mkdir '${work}/out' && cp ${inTar.map((f) => `'${work}/${f}'`).join(' ')} '${work}/out/'`,
  );
  await rm(dir, { recursive: true, force: true });
  await rename(join(work, 'out'), dir);
  await rm(work, { recursive: true, force: true });
  return dir;
}

/**
 * Unpacked headers point at the installed -common headers and linux-kbuild through paths
 * relative to /usr/src/linux-headers-<abi>; re-point those links at the installed copies.
 */
function linkHeadersToHost(headersDir: string, abi: string): void {
  for (const name of readdirSync(headersDir)) {
    const p = join(headersDir, name);
    let target: string;
    try {
      target = readlinkSync(p);
    } catch {
      continue; // not a symlink
    }
    if (target.startsWith('/')) continue;
    const onHost = posix.resolve(`/usr/src/linux-headers-${abi}`, target);
    if (!existsSync(onHost)) throw new Error(`${p} points at ${onHost}, which is missing (linux-kbuild of this release not installed?)`);
    unlinkSync(p);
    symlinkSync(onHost, p);
  }
}

export async function prepareKernel(vm: VmArch, log: Log): Promise<KernelArtifacts> {
  // linux-headers-amd64 brings the -common headers and linux-kbuild (host tools) that every
  // architecture's headers package builds with; the cross compilers bring <triplet>-gcc-12.
  ensureDebianPackages(['linux-headers-amd64', 'make', 'xz-utils', 'binutils', ...vm.ccPackages]);
  const { abiNumber, version } = await kernelRelease();
  const abi = `${abiNumber}-${vm.flavour}`;
  const dir = join(vmCacheRoot(), `kernel-${abi}-${version}`);
  const manifestFile = join(dir, 'manifest.json');
  const moduleNames = ['configfs.ko', 'irq_sim.ko', 'gpio-sim.ko'];
  const result = (fromCache: boolean, m: { timings: Record<string, number>; gpioNumberSpace: number }): KernelArtifacts => ({
    arch: vm.arch,
    abi,
    version,
    vmlinuz: join(dir, `vmlinuz-${abi}`),
    modules: moduleNames.map((n) => join(dir, 'modules', n)),
    busybox: join(dir, 'busybox'),
    gpioNumberSpace: m.gpioNumberSpace,
    fromCache,
    timings: m.timings,
  });
  if (existsSync(manifestFile)) {
    return result(true, JSON.parse(await readFile(manifestFile, 'utf8')) as { timings: Record<string, number>; gpioNumberSpace: number });
  }

  const timings: Record<string, number> = {};
  const step = async <T>(name: string, what: string, fn: () => Promise<T>): Promise<T> => {
    log(`kernel ${abi}: ${what}...`);
    const t0 = Date.now();
    const v = await fn();
    timings[name] = (Date.now() - t0) / 1000;
    log(`kernel ${abi}: ${what} done in ${timings[name].toFixed(1)} s`);
    return v;
  };
  log(`first run for kernel ${abi} (${version}): fetching Debian's ${vm.debArch} kernel and building gpio-sim + irq_sim (cached afterwards in ${dir})`);
  const work = `${dir}.work`;
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'src'), { recursive: true });
  const downloader = new DebianDownloader(join(vmCacheRoot(), 'apt'), log);
  const series = sourceSeries(abi);

  const sources = await step('source', `linux-source-${series} ${version} (shared by every architecture)`, () =>
    kernelSources(downloader, series, version, log),
  );
  const [image, headers, busybox] = await step('download', `apt-get download linux-image-${abi}, linux-headers-${abi}, busybox-static (${vm.debArch})`, () =>
    downloader.download(
      [`linux-image-${abi}:${vm.debArch}=${version}`, `linux-headers-${abi}:${vm.debArch}=${version}`, `busybox-static:${vm.debArch}`],
      join(work, 'debs'),
    ),
  );
  await step('extract', 'extracting vmlinuz, config, configfs.ko, the headers and busybox', async () => {
    await bash(
      `dpkg-deb --fsys-tarfile '${image}' | tar -x -C '${work}' --wildcards './boot/vmlinuz-*' './boot/config-*' './lib/modules/*/kernel/fs/configfs/configfs.ko*'\n` +
        `cd '${work}'; f=$(ls lib/modules/*/kernel/fs/configfs/configfs.ko*); case $f in *.xz) xz -d "$f"; f=\${f%.xz};; esac; cp "$f" src/configfs.ko\n` +
        `dpkg-deb -x '${headers}' '${work}/headers'\n` +
        `dpkg-deb --fsys-tarfile '${busybox}' | tar -x -C '${work}' ./bin/busybox`,
    );
    linkHeadersToHost(join(work, 'headers', 'usr', 'src', `linux-headers-${abi}`), abi);
  });
  const { gpioNumberSpace } = checkKernelConfig(await readFile(join(work, 'boot', `config-${abi}`), 'utf8'), abi);

  await writeFile(join(work, 'src', 'irq_sim.c'), shimIrqSim(await readFile(join(sources, 'irq_sim.c'), 'utf8')));
  await writeFile(join(work, 'src', 'gpio-sim.c'), shimGpioSim(await readFile(join(sources, 'gpio-sim.c'), 'utf8')));
  await copyFile(join(sources, 'gpiolib.h'), join(work, 'src', 'gpiolib.h'));
  await writeFile(join(work, 'src', 'Kbuild'), 'obj-m := irq_sim.o gpio-sim.o\n');
  await step('build-modules', `building irq_sim.ko and gpio-sim.ko (make -j1, ARCH=${vm.kbuild.arch}${vm.kbuild.crossCompile ? ` CROSS_COMPILE=${vm.kbuild.crossCompile}` : ''})`, () =>
    run('make', [
      '-C', join(work, 'headers', 'usr', 'src', `linux-headers-${abi}`),
      `M=${join(work, 'src')}`,
      `ARCH=${vm.kbuild.arch}`,
      `CROSS_COMPILE=${vm.kbuild.crossCompile}`,
      '-j1',
      'modules',
    ]),
  );
  const out = join(work, 'out');
  await mkdir(join(out, 'modules'), { recursive: true });
  await copyFile(join(work, 'boot', `vmlinuz-${abi}`), join(out, `vmlinuz-${abi}`));
  await copyFile(join(work, 'boot', `config-${abi}`), join(out, `config-${abi}`));
  await copyFile(join(work, 'bin', 'busybox'), join(out, 'busybox'));
  for (const m of moduleNames) await copyFile(join(work, 'src', m), join(out, 'modules', m));
  await writeFile(join(out, 'manifest.json'), JSON.stringify({ abi, version, timings, gpioNumberSpace }, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(out, dir);
  await rm(work, { recursive: true, force: true });
  return result(false, { timings, gpioNumberSpace });
}
