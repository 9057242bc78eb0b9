// Node single executable applications: a blob generated from the bundle by the *target*
// runtime (same Node version and word size; under qemu for ARM), injected with postject into a
// stripped copy of that runtime. Each result is cached under a key of everything that went in.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppName } from './apps.js';
import { binaryName } from './apps.js';
import type { Bundle } from './bundle.js';
import { run } from './exec.js';
import { exists, fileSize, gzipSize, hashFile, populateAtomically } from './files.js';
import { shipDir } from './paths.js';
import type { Runtime } from './runtime.js';
import { emulated, type Target } from './targets.js';

/** The fuse string Node checks to know a blob was injected (same for Node 20 and 24). */
export const SEA_SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const SEA_RESOURCE_NAME = 'NODE_SEA_BLOB';

export interface SeaSettings {
  /** Silences "Single executable application is an experimental feature" on every start. */
  disableExperimentalSEAWarning: boolean;
  /** Compile the bundle at build time and embed V8's code cache: faster start, bigger file. */
  useCodeCache: boolean;
}

/**
 * Both on. The warning is noise in a service's logs. The code cache is valid because the
 * blob is made by the very runtime it is injected into (same V8 build, same architecture);
 * its one restriction, no import() in the main script, is enforced by the bundle step.
 */
export const DEFAULT_SEA_SETTINGS: SeaSettings = { disableExperimentalSEAWarning: true, useCodeCache: true };

/** The --experimental-sea-config JSON. Pure. */
export function seaConfig(main: string, output: string, settings: SeaSettings): Record<string, unknown> {
  return {
    main,
    output,
    disableExperimentalSEAWarning: settings.disableExperimentalSEAWarning,
    useSnapshot: false,
    useCodeCache: settings.useCodeCache,
  };
}

export interface SeaStamp {
  app: AppName;
  arch: string;
  nodeVersion: string;
  bytes: number;
  gzipBytes: number;
  sha256: string;
  blobBytes: number;
}

export interface SeaResult extends SeaStamp {
  file: string;
  cached: boolean;
}

function postject(): { cli: string; version: string } {
  const manifest = createRequire(join(shipDir, 'package.json')).resolve('postject/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { cli: join(dirname(manifest), 'dist', 'cli.js'), version };
}

/** Everything that determines the executable's bytes. */
export function seaCacheKey(parts: { bundleSha256: string; runtimeIntegrity: string; settings: SeaSettings; postject: string; arch: string }): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/** Each app change leaves a ~100 MiB entry behind; keep only the newest per executable. */
async function pruneOtherVersions(cache: string, name: string, keep: string): Promise<void> {
  const seaDir = join(cache, 'sea');
  for (const entry of await readdir(seaDir)) {
    const path = join(seaDir, entry);
    if (path !== keep && entry.startsWith(`${name}-`) && /^[0-9a-f]{20}$/.test(entry.slice(name.length + 1))) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

export async function buildSea(
  app: AppName,
  target: Target,
  runtime: Runtime,
  bundle: Bundle,
  binDir: string,
  cache: string,
  settings: SeaSettings = DEFAULT_SEA_SETTINGS,
): Promise<SeaResult> {
  const key = seaCacheKey({ bundleSha256: bundle.sha256, runtimeIntegrity: runtime.pin.integrity, settings, postject: postject().version, arch: target.arch });
  const dir = join(cache, 'sea', `${binaryName(app, target.arch)}-${key}`);
  const out = join(binDir, binaryName(app, target.arch));
  await mkdir(binDir, { recursive: true });

  let cached = true;
  if (!(await exists(join(dir, 'stamp.json')))) {
    cached = false;
    await populateAtomically(dir, async (scratch) => {
      const main = join(scratch, 'main.cjs');
      const blob = join(scratch, 'sea.blob');
      await copyFile(bundle.file, main);
      await writeFile(join(scratch, 'sea-config.json'), JSON.stringify(seaConfig(main, blob, settings), null, 2));
      const [cmd, args] = emulated(target, runtime.node, ['--experimental-sea-config', 'sea-config.json']);
      await run(cmd, args, { cwd: scratch });
      const exe = join(scratch, 'executable');
      await copyFile(runtime.stripped, exe);
      // In a child process: its output (LIEF's harmless section-name warnings) is shown only
      // when injection fails, and its WebAssembly heap is freed right after.
      await run(process.execPath, [postject().cli, exe, SEA_RESOURCE_NAME, blob, '--sentinel-fuse', SEA_SENTINEL_FUSE]);
      await chmod(exe, 0o755);
      const stamp: SeaStamp = {
        app,
        arch: target.arch,
        nodeVersion: runtime.pin.version,
        bytes: await fileSize(exe),
        gzipBytes: await gzipSize(exe),
        sha256: (await hashFile(exe, 'sha256')).toString('hex'),
        blobBytes: await fileSize(blob),
      };
      await writeFile(join(scratch, 'stamp.json'), `${JSON.stringify(stamp, null, 2)}\n`);
    });
  }
  if (!cached) await pruneOtherVersions(cache, binaryName(app, target.arch), dir);
  const stamp = JSON.parse(await readFile(join(dir, 'stamp.json'), 'utf8')) as SeaStamp;
  // Copy then rename: replacing a running executable in place fails (ETXTBSY), and a reader
  // never sees a half-written file.
  const partial = `${out}.partial-${process.pid}`;
  await copyFile(join(dir, 'executable'), partial);
  await chmod(partial, 0o755);
  await rename(partial, out);
  return { ...stamp, file: out, cached };
}
