// The kernel under test: Debian's own amd64 kernel (the version of the installed
// linux-headers-amd64) plus gpio-sim and irq_sim, which Debian does not build, compiled here as
// out-of-tree modules from Debian's linux-source against the matching headers. Results are
// cached under ~/.cache/gpio-fleet/vm/kernel-<abi>-<version>/.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { bash, run, type Log } from './progress.js';

export interface KernelArtifacts {
  /** e.g. 6.1.0-56-amd64 */
  abi: string;
  /** Debian package version, e.g. 6.1.192-2 */
  version: string;
  vmlinuz: string;
  /** Module files in load order. */
  modules: string[];
  fromCache: boolean;
  /** Seconds per step of the first build (read back from the cache afterwards). */
  timings: Record<string, number>;
}

/** GPIO_FLEET_VM_CACHE, else ~/.cache/gpio-fleet/vm. */
export function vmCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GPIO_FLEET_VM_CACHE) return env.GPIO_FLEET_VM_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpio-fleet', 'vm');
}

/** "linux-headers-6.1.0-56-amd64 (= 6.1.192-2)" -> abi and version. Pure. */
export function parseHeadersDepends(depends: string): { abi: string; version: string } {
  const m = /linux-headers-(\S+-amd64) \(= ([^)]+)\)/.exec(depends);
  if (!m) throw new Error(`cannot find the kernel ABI in linux-headers-amd64's Depends: "${depends}"`);
  return { abi: m[1]!, version: m[2]! };
}

/** 6.1.0-56-amd64 -> 6.1 (the linux-source-X.Y package). Pure. */
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

async function installedHeaders(): Promise<{ abi: string; version: string }> {
  const depends = await run('dpkg-query', ['-W', '-f=${Depends}', 'linux-headers-amd64']);
  return parseHeadersDepends(depends);
}

export async function prepareKernel(log: Log): Promise<KernelArtifacts> {
  ensureDebianPackages(['linux-headers-amd64', 'make', 'gcc', 'libc6-dev', 'xz-utils']);
  const { abi, version } = await installedHeaders();
  const dir = join(vmCacheRoot(), `kernel-${abi}-${version}`);
  const manifestFile = join(dir, 'manifest.json');
  const moduleNames = ['configfs.ko', 'irq_sim.ko', 'gpio-sim.ko'];
  const result = (fromCache: boolean, timings: Record<string, number>): KernelArtifacts => ({
    abi,
    version,
    vmlinuz: join(dir, `vmlinuz-${abi}`),
    modules: moduleNames.map((m) => join(dir, 'modules', m)),
    fromCache,
    timings,
  });
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { timings: Record<string, number> };
    return result(true, manifest.timings);
  }

  const timings: Record<string, number> = {};
  const step = async <T>(name: string, what: string, fn: () => Promise<T>): Promise<T> => {
    log(`kernel ${abi}: ${what}...`);
    const t0 = Date.now();
    const v = await fn();
    timings[name] = (Date.now() - t0) / 1000;
    log(`kernel ${abi}: ${what} done in ${timings[name]!.toFixed(1)} s`);
    return v;
  };
  log(`first run for kernel ${abi} (${version}): fetching Debian's kernel and building gpio-sim + irq_sim (cached afterwards in ${dir})`);
  const work = `${dir}.work`;
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'src'), { recursive: true });
  const series = sourceSeries(abi);
  const debs = await step('download', `apt-get download linux-image-${abi} and linux-source-${series} (~210 MB)`, async () => {
    try {
      await run('apt-get', ['download', `linux-image-${abi}=${version}`, `linux-source-${series}=${version}`], { cwd: work });
    } catch (err) {
      // The archive moved on since the headers were installed: refresh and retry once.
      log(`download failed (${(err as Error).message.split('\n')[0]}); refreshing the package lists`);
      await run('apt-get', ['update', '-q']);
      await run('apt-get', ['download', `linux-image-${abi}=${version}`, `linux-source-${series}=${version}`], { cwd: work });
    }
    const files = await readdir(work);
    const image = files.find((f) => f.startsWith(`linux-image-${abi}_`));
    const source = files.find((f) => f.startsWith(`linux-source-${series}_`));
    if (!image || !source) throw new Error(`apt-get download left ${files.join(', ')}`);
    return { image: join(work, image), source: join(work, source) };
  });
  await step('extract-kernel', 'extracting vmlinuz and configfs.ko', () =>
    bash(
      `dpkg-deb --fsys-tarfile '${debs.image}' | tar -x -C '${work}' --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/fs/configfs/configfs.ko*'\n` +
        `cd '${work}'; f=$(ls lib/modules/*/kernel/fs/configfs/configfs.ko*); case $f in *.xz) xz -d "$f"; f=\${f%.xz};; esac; cp "$f" src/configfs.ko`,
    ),
  );
  await step('extract-source', `extracting gpio-sim.c and irq_sim.c from linux-source-${series}`, () =>
    bash(
      `dpkg-deb --fsys-tarfile '${debs.source}' | tar -xO ./usr/src/linux-source-${series}.tar.xz | ` +
        `tar -xJ -C '${work}' linux-source-${series}/drivers/gpio/gpio-sim.c linux-source-${series}/drivers/gpio/gpiolib.h linux-source-${series}/kernel/irq/irq_sim.c\n` +
        `cp '${work}'/linux-source-${series}/drivers/gpio/gpio-sim.c '${work}'/linux-source-${series}/drivers/gpio/gpiolib.h '${work}/src/'`,
    ),
  );
  const irqSim = await readFile(join(work, `linux-source-${series}`, 'kernel', 'irq', 'irq_sim.c'), 'utf8');
  await writeFile(join(work, 'src', 'irq_sim.c'), shimIrqSim(irqSim));
  await writeFile(join(work, 'src', 'Kbuild'), 'obj-m := irq_sim.o gpio-sim.o\n');
  await step('build-modules', 'building irq_sim.ko and gpio-sim.ko (make -j1)', () =>
    run('make', ['-C', `/usr/src/linux-headers-${abi}`, `M=${join(work, 'src')}`, '-j1', 'modules']),
  );
  await mkdir(join(work, 'out', 'modules'), { recursive: true });
  await copyFile(join(work, 'boot', `vmlinuz-${abi}`), join(work, 'out', `vmlinuz-${abi}`));
  for (const m of moduleNames) await copyFile(join(work, 'src', m), join(work, 'out', 'modules', m));
  await writeFile(join(work, 'out', 'manifest.json'), JSON.stringify({ abi, version, timings }, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(join(work, 'out'), dir);
  await rm(work, { recursive: true, force: true });
  return result(false, timings);
}
