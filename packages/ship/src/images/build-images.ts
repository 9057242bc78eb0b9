// Builds one multi-platform OCI image per app with buildah (no daemon, private vfs store):
//   layer 1, runtime: node + the shared libraries it needs + /etc/{passwd,group}; committed
//            once per platform as a base image, so every app on that platform shares the
//            identical layer (a node that runs both apps downloads node once);
//   layer 2, app: /app/<app>.cjs and the native addons (/app/gpiochip.node, /app/node_modules).
// Then `buildah manifest create/add` and `buildah manifest push --all` to dist/images/<app>.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IcuData } from '../icu/trim.js';
import type { Progress } from '../progress.js';
import type { TargetArch } from '../targets.js';
import type { Buildah } from './buildah.js';
import { appConfigArgs, platformConfigArgs, type AppImageMetadata } from './image-metadata.js';
import { layerSizeMarkdown, layerSizeRows, layerSizeTable, type LayerSizeRow } from './layer-sizes.js';
import { readOciLayout, verifyBlob } from './oci-layout.js';
import { platformName, platformTag, type ImagePlatform } from './platforms.js';
import { stageAppTree, stageRuntimeTree } from './rootfs.js';
import { platformSharedLibraries } from './shared-libraries.js';
import { treeDigest } from './tree-digest.js';

/** File timestamp and creation time of the runtime layer: constant, so the layer only changes
 *  when node or a library changes, not with every commit of this repository. */
export const RUNTIME_EPOCH = 0;

export interface RuntimeInput {
  /** Stripped node binary for this platform. */
  node: string;
  nodeVersion: string;
  /** Whether `node` carries ICU's English-only data (../icu/trim.ts) or all of it. */
  icu: IcuData;
}

export interface AppInput {
  /** meta.entry names the bundle inside /app. */
  meta: AppImageMetadata;
  /** Self-contained bundle of the app (dist/bundles/<app>.cjs). */
  bundle: string;
  /** The ship build's native-linux-<arch> directory per platform (absent: no addons). */
  nativeDirs: Partial<Record<TargetArch, string>>;
}

export interface BuildImagesOptions {
  outDir: string;
  /** Scratch space for the staged layer trees. */
  stagingDir: string;
  platforms: readonly ImagePlatform[];
  runtimes: Partial<Record<TargetArch, RuntimeInput>>;
  apps: readonly AppInput[];
  /** Creation time (and app-layer file time) of the app images, in epoch seconds. */
  createdEpoch: number;
  buildah: Buildah;
  progress: Progress;
  /** Rebuild even when the recorded inputs match. */
  force?: boolean;
}

export interface BuildImagesResult {
  rows: LayerSizeRow[];
  /** Apps whose layouts were (re)built; the others matched their recorded inputs. */
  built: string[];
  layouts: Record<string, string>;
}

export const INPUTS_FILE = 'build-inputs.json';
export const SIZES_FILE = 'layer-sizes.md';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Compiled addons in a native directory: their libraries must be in the runtime layer. */
function addonFiles(nativeDir: string | undefined): string[] {
  return nativeDir && existsSync(nativeDir) ? listFiles(nativeDir).filter((f) => f.endsWith('.node')) : [];
}

function runtimeRef(p: ImagePlatform, nodeVersion: string, key: string): string {
  return `localhost/gpio-fleet/runtime:node${nodeVersion}-${platformTag(p)}-${key.slice(0, 16)}`;
}

function appRef(m: AppImageMetadata, p?: ImagePlatform): string {
  return `localhost/gpio-fleet/${m.app}:${m.version}${p ? `-${platformTag(p)}` : ''}`;
}

/** Commit a working container, removing it on failure too. */
function commit(buildah: Buildah, container: string, ref: string, epoch: number): string {
  try {
    return buildah.run(['commit', '--quiet', '--rm', '--format', 'oci', '--timestamp', String(epoch), '--identity-label=false', container, ref]);
  } catch (e) {
    try {
      buildah.run(['rm', container]);
    } catch {
      // already gone
    }
    throw e;
  }
}

function withContainer(buildah: Buildah, from: string, fn: (container: string) => void): string {
  const container = buildah.run(['from', '--quiet', '--pull=never', from]);
  try {
    fn(container);
  } catch (e) {
    buildah.run(['rm', container]);
    throw e;
  }
  return container;
}

export async function buildImages(o: BuildImagesOptions): Promise<BuildImagesResult> {
  const { buildah, progress } = o;
  const layouts = Object.fromEntries(o.apps.map((a) => [a.meta.app, join(o.outDir, a.meta.app)]));

  // Stage every layer tree first: that fixes the inputs' content key before any buildah work.
  const staged = await progress.step('stage layer trees', async () => {
    const runtimeKeys: Record<string, { dir: string; key: string; files: number }> = {};
    const appKeys: Record<string, { dir: string; key: string }> = {};
    for (const p of o.platforms) {
      const runtime = o.runtimes[p.arch];
      if (!runtime) throw new Error(`no node runtime given for ${platformName(p)}`);
      const addons = o.apps.flatMap((a) => addonFiles(a.nativeDirs[p.arch]));
      const libraries = platformSharedLibraries([runtime.node, ...addons], p);
      const dir = join(o.stagingDir, `runtime-${platformTag(p)}`);
      const files = stageRuntimeTree(dir, runtime.node, libraries);
      runtimeKeys[p.arch] = { dir, key: treeDigest(dir), files: files.length };
      progress.info(`runtime ${platformName(p)}: node ${runtime.nodeVersion} (${runtime.icu === 'en' ? 'English-only' : 'full'} ICU data), ${libraries.length} shared libraries: ${libraries.map((l) => l.imagePath).join(' ')}`);
      for (const a of o.apps) {
        const appDir = join(o.stagingDir, `${a.meta.app}-${platformTag(p)}`);
        const nativeDir = a.nativeDirs[p.arch];
        stageAppTree(appDir, { entryName: a.meta.entry, bundleFile: a.bundle, ...(nativeDir ? { nativeDir } : {}) });
        appKeys[`${a.meta.app}/${p.arch}`] = { dir: appDir, key: treeDigest(appDir) };
      }
    }
    return { runtimeKeys, appKeys };
  });

  // What each app's layout was built from; an app whose record matches is left alone.
  const buildahVersion = buildah.run(['--version']);
  const fingerprint = (a: AppInput): string =>
    JSON.stringify({
      createdEpoch: o.createdEpoch,
      buildah: buildahVersion,
      platforms: o.platforms.map(platformName),
      runtimes: o.platforms.map((p) => staged.runtimeKeys[p.arch]?.key),
      meta: a.meta,
      config: o.platforms.map((p) => appConfigArgs(a.meta, p)),
      layers: o.platforms.map((p) => staged.appKeys[`${a.meta.app}/${p.arch}`]?.key),
    });
  const inputsFile = join(o.outDir, INPUTS_FILE);
  const recorded: Record<string, string> = {};
  if (existsSync(inputsFile)) {
    for (const [app, f] of Object.entries(JSON.parse(readFileSync(inputsFile, 'utf8')) as Record<string, unknown>)) if (typeof f === 'string') recorded[app] = f;
  }
  const stale = o.apps.filter((a) => o.force || recorded[a.meta.app] !== fingerprint(a) || !existsSync(join(layouts[a.meta.app]!, 'index.json')));
  for (const a of o.apps) if (!stale.includes(a)) progress.info(`${a.meta.app}: up to date with its inputs (${inputsFile})`);

  const runtimeRefs: Record<string, string> = {};
  for (const p of stale.length > 0 ? o.platforms : []) {
    const r = staged.runtimeKeys[p.arch]!;
    const ref = runtimeRef(p, o.runtimes[p.arch]!.nodeVersion, r.key);
    runtimeRefs[p.arch] = ref;
    if (buildah.hasImage(ref)) {
      progress.info(`runtime layer ${platformName(p)}: reusing ${ref}`);
      continue;
    }
    await progress.step(`runtime layer ${platformName(p)} (${r.files} files)`, async () => {
      const c = withContainer(buildah, 'scratch', (c) => {
        buildah.run(['copy', '--quiet', c, `${r.dir}/`, '/']);
        buildah.run(['config', ...platformConfigArgs(p), '--created-by', `gpio-fleet runtime: node ${o.runtimes[p.arch]!.nodeVersion}${o.runtimes[p.arch]!.icu === 'en' ? ' (English-only ICU data)' : ''} and its shared libraries`, c]);
      });
      commit(buildah, c, ref, RUNTIME_EPOCH);
    });
  }

  for (const a of stale) {
    await progress.step(`image ${a.meta.app} ${o.platforms.map(platformName).join(', ')}`, async () => {
      const list = appRef(a.meta);
      if (buildah.hasManifestList(list)) buildah.run(['manifest', 'rm', list]);
      buildah.run(['manifest', 'create', list]);
      for (const p of o.platforms) {
        const appTree = staged.appKeys[`${a.meta.app}/${p.arch}`]!;
        const c = withContainer(buildah, runtimeRefs[p.arch]!, (c) => {
          buildah.run(['copy', '--quiet', c, `${appTree.dir}/`, '/']);
          buildah.run(['config', ...appConfigArgs(a.meta, p), '--created-by', `gpio-fleet app: ${a.meta.app} ${a.meta.version}`, c]);
        });
        const ref = appRef(a.meta, p);
        commit(buildah, c, ref, o.createdEpoch);
        buildah.run(['manifest', 'add', list, `containers-storage:${ref}`]);
      }
      const dir = layouts[a.meta.app]!;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      buildah.run(['manifest', 'push', '--quiet', '--all', '--format', 'oci', list, `oci:${dir}:${a.meta.version}`]);
      recorded[a.meta.app] = fingerprint(a);
      writeFileSync(inputsFile, `${JSON.stringify(recorded, null, 2)}\n`);
    });
  }
  // Superseded app images (same tag, new content) are left dangling by each build.
  if (stale.length > 0) buildah.run(['rmi', '--prune']);

  const rows: LayerSizeRow[] = [];
  for (const a of o.apps) {
    const layout = readOciLayout(layouts[a.meta.app]!);
    for (const image of layout.images) for (const l of image.manifest.layers) verifyBlob(layout.dir, l);
    rows.push(...layerSizeRows(a.meta.app, layout));
  }
  progress.info(`layer sizes (compressed):\n${layerSizeTable(rows)}`);
  writeFileSync(join(o.outDir, SIZES_FILE), `${layerSizeMarkdown(rows)}\n`);
  return { rows, built: stale.map((a) => a.meta.app), layouts };
}
