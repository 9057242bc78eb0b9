#!/usr/bin/env node
// `npm run build:images`: bundles, runtimes and addons (cached ship build steps), then one
// multi-platform OCI image per app under dist/images/<app>, and with `--compression zstd` its
// zstd twin under dist/images-zstd/<app>. See docs/images.md.
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_NAMES, parseApps, type AppName } from '../apps.js';
import { buildAddons, buildBundles, buildRuntimes } from '../build.js';
import { formatDuration } from '../format.js';
import { cacheRoot, outputDirs, repoRoot } from '../paths.js';
import { ensureEnglishOnlyRuntime, ICU_DATA_CHOICES, parseIcuData, type IcuData } from '../icu/trim.js';
import { createProgress } from '../progress.js';
import { TARGETS, type TargetArch } from '../targets.js';
import { withBuildLock } from './build-lock.js';
import { buildImages, type AppInput, type RuntimeInput } from './build-images.js';
import { buildZstdImages } from './build-zstd-images.js';
import { Buildah } from './buildah.js';
import { imagesDirName, LAYER_COMPRESSIONS, parseCompression, type LayerCompression } from './compression.js';
import { ensureImageHostPackages } from './host-packages.js';
import { IMAGE_PLATFORMS, platformByName, platformName, type ImagePlatform } from './platforms.js';
import { appMetadata, createdEpoch } from './provenance.js';
import { LAYER_ZSTD, zstdLevelArgs } from './zstd.js';

const USAGE = `Usage: build-images [options]

Builds one multi-platform OCI image per app (FROM scratch: a runtime layer with node and its
shared libraries, shared by all apps of a platform, and an app layer) with buildah, without a
container daemon, into <dist>/images/<app> as an OCI image layout.

Options:
  --app <list>       comma-separated apps (default: ${APP_NAMES.join(',')})
  --arch <list>      comma-separated platforms, as x64,arm64,armv7 or ${IMAGE_PLATFORMS.map(platformName).join(',')}
                     (default: all)
  --compression <c>  layer compression, one of ${LAYER_COMPRESSIONS.join(', ')} (default: gzip). gzip writes
                     <dist>/images/<app>; zstd writes those and, recompressed from them
                     (zstd ${zstdLevelArgs(LAYER_ZSTD).join(' ')}, one thread), <dist>/images-zstd/<app>, which
                     containerd >= 1.5 (every current k3s) and Docker >= 23 pull, but not
                     Docker 20.10 or balena-engine
  --icu <data>       ICU data of the images' node, one of ${ICU_DATA_CHOICES.join(', ')} (default: en). en keeps
                     English and the root locale, as Node's small-icu build does: Intl
                     resolves any other locale to en-US. It takes 4.5 MB off the arm64
                     runtime layer with zstd, 5 MB with gzip. full keeps all of it
  --dist <dir>       output root (default: <repo>/dist): bundles, native addons, images/ and
                     images-zstd/
  --cache <dir>      cache root for runtimes and addons (default: $GPIO_FLEET_CACHE, else
                     $XDG_CACHE_HOME/gpio-fleet, else ~/.cache/gpio-fleet)
  --storage <dir>    private buildah store and scratch space (default: <cache>/buildah)
  --entry APP=FILE   bundle FILE instead of apps/<app>/src/cli.ts (repeatable)
  --force            rebuild even when the recorded inputs match
  -h, --help         show this help

Environment:
  SOURCE_DATE_EPOCH        creation time of the app images (default: commit time of HEAD)
  GPIO_FLEET_IMAGE_REVISION  org.opencontainers.image.revision (default: git rev-parse HEAD)
  GPIO_FLEET_IMAGE_SOURCE  org.opencontainers.image.source (default: package.json "repository",
                           else the git remote "origin")
`;

/** Bad command-line input: exit 2, as for any of the project's commands. */
class UsageError extends Error {}

interface Options {
  help: boolean;
  apps: AppName[];
  platforms: ImagePlatform[];
  compression: LayerCompression;
  icu: IcuData;
  dist: string;
  cache: string;
  storageBase: string;
  entries: Partial<Record<AppName, string>>;
  force: boolean;
}

function parseOptions(args: string[]): Options {
  try {
    const { values } = parseArgs({
      args,
      options: {
        app: { type: 'string' },
        arch: { type: 'string' },
        compression: { type: 'string', default: 'gzip' },
        icu: { type: 'string', default: 'en' },
        dist: { type: 'string' },
        cache: { type: 'string' },
        storage: { type: 'string' },
        entry: { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    const cache = values.cache ? resolve(values.cache) : cacheRoot();
    const entries: Partial<Record<AppName, string>> = {};
    for (const e of values.entry ?? []) {
      const [app, file] = e.split('=', 2);
      if (!app || !file) throw new Error(`--entry expects APP=FILE, got "${e}"`);
      entries[parseApps(app)[0]!] = resolve(file);
    }
    return {
      help: values.help,
      apps: values.app ? parseApps(values.app) : [...APP_NAMES],
      platforms: values.arch ? values.arch.split(',').map((s) => platformByName(s.trim())) : [...IMAGE_PLATFORMS],
      compression: parseCompression(values.compression),
      icu: parseIcuData(values.icu),
      dist: outputDirs(values.dist ? resolve(values.dist) : undefined).root,
      cache,
      storageBase: values.storage ? resolve(values.storage) : join(cache, 'buildah'),
      entries,
      force: values.force,
    };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(USAGE);
    return;
  }
  const t0 = performance.now();
  const progress = createProgress();
  const { apps, platforms, dist, cache, storageBase, entries } = o;
  const arches: TargetArch[] = platforms.map((p) => p.arch);
  const outDir = join(dist, imagesDirName('gzip'));
  const zstdDir = join(dist, imagesDirName('zstd'));
  const shipOptions = { progress, dist, cache, entries };

  // The whole build holds the lock: it rewrites dist/bundles and dist/bin/native-* too.
  mkdirSync(dist, { recursive: true });
  const lock = join(dist, '.build-images.lock');
  await withBuildLock(lock, async () => {
    ensureImageHostPackages(platforms, { compression: o.compression, icu: o.icu }, (l) => progress.info(l));
    const bundles = await buildBundles({ ...shipOptions, apps });
    const natives = await buildAddons({ ...shipOptions, arches });
    const runtimes = await buildRuntimes({ ...shipOptions, arches });

    const runtimeInputs: Partial<Record<TargetArch, RuntimeInput>> = {};
    for (const r of runtimes) {
      const node = o.icu === 'en' ? (await ensureEnglishOnlyRuntime(TARGETS[r.pin.arch], r, cache, progress)).node : r.stripped;
      runtimeInputs[r.pin.arch] = { node, nodeVersion: r.pin.version, icu: o.icu };
    }
    const nativeDirs: Partial<Record<TargetArch, string>> = {};
    arches.forEach((arch, i) => (nativeDirs[arch] = natives[i]!.dir));
    const appInputs: AppInput[] = bundles.map((b) => ({ meta: appMetadata(b.app, basename(b.file), repoRoot), bundle: b.file, nativeDirs }));
    const first = appInputs[0]?.meta;
    if (first && !first.source) progress.info('warning: no repository URL for org.opencontainers.image.source (set "repository" in package.json or GPIO_FLEET_IMAGE_SOURCE)');
    if (first && !first.revision) progress.info('warning: no git commit yet; org.opencontainers.image.revision is left out');

    const buildah = new Buildah({ root: join(storageBase, 'storage'), runroot: join(storageBase, 'run') });
    progress.info(`buildah store: ${buildah.storage.root} (vfs)`);
    await buildImages({
      outDir,
      stagingDir: join(storageBase, 'staging'),
      platforms,
      runtimes: runtimeInputs,
      apps: appInputs,
      createdEpoch: createdEpoch(repoRoot),
      buildah,
      progress,
      force: o.force,
    });
    if (o.compression === 'zstd') {
      await buildZstdImages({
        sourceDir: outDir,
        outDir: zstdDir,
        apps: appInputs.map((a) => a.meta.app),
        scratchDir: join(storageBase, 'staging', 'zstd'),
        settings: LAYER_ZSTD,
        progress,
        force: o.force,
      });
    }
  }, (l) => progress.info(l));
  progress.info(`images in ${o.compression === 'zstd' ? `${outDir} and ${zstdDir}` : outDir} (${formatDuration(performance.now() - t0)} in all)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`build-images: ${e instanceof Error ? e.message : String(e)}\n`);
  if (e instanceof UsageError) process.stderr.write('run build-images --help for the options\n');
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
