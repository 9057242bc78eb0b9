#!/usr/bin/env node
// `npm run build:images`: bundles, runtimes and addons (cached ship build steps), then one
// multi-platform OCI image per app under dist/images/<app>. See docs/images.md.
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_NAMES, parseApps, type AppName } from '../apps.js';
import { buildAddons, buildBundles, buildRuntimes } from '../build.js';
import { formatDuration } from '../format.js';
import { cacheRoot, outputDirs, repoRoot } from '../paths.js';
import { createProgress } from '../progress.js';
import type { TargetArch } from '../targets.js';
import { withBuildLock } from './build-lock.js';
import { buildImages, type AppInput, type RuntimeInput } from './build-images.js';
import { Buildah } from './buildah.js';
import { ensureImageHostPackages } from './host-packages.js';
import { IMAGE_PLATFORMS, platformByName, platformName } from './platforms.js';
import { appMetadata, createdEpoch } from './provenance.js';

const USAGE = `Usage: build-images [options]

Builds one multi-platform OCI image per app (FROM scratch: a runtime layer with node and its
shared libraries, shared by all apps of a platform, and an app layer) with buildah, without a
container daemon, into <dist>/images/<app> as an OCI image layout.

Options:
  --app <list>       comma-separated apps (default: ${APP_NAMES.join(',')})
  --arch <list>      comma-separated platforms, as x64,arm64,armv7 or ${IMAGE_PLATFORMS.map(platformName).join(',')}
                     (default: all)
  --dist <dir>       output root (default: <repo>/dist): bundles, native addons and images/
  --cache <dir>      cache root for runtimes and addons (default: $GPIO_FLEET_CACHE, else
                     $XDG_CACHE_HOME/gpio-fleet, else ~/.cache/gpio-fleet)
  --storage <dir>    private buildah store (default: <cache>/buildah)
  --entry APP=FILE   bundle FILE instead of apps/<app>/src/cli.ts (repeatable)
  --force            rebuild even when the recorded inputs match
  -h, --help         show this help

Environment:
  SOURCE_DATE_EPOCH        creation time of the app images (default: commit time of HEAD)
  GPIO_FLEET_IMAGE_REVISION  org.opencontainers.image.revision (default: git rev-parse HEAD)
  GPIO_FLEET_IMAGE_SOURCE  org.opencontainers.image.source (default: package.json "repository",
                           else the git remote "origin")
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      arch: { type: 'string' },
      dist: { type: 'string' },
      cache: { type: 'string' },
      storage: { type: 'string' },
      entry: { type: 'string', multiple: true },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const t0 = performance.now();
  const progress = createProgress();
  const apps = values.app ? parseApps(values.app) : [...APP_NAMES];
  const platforms = values.arch ? values.arch.split(',').map((s) => platformByName(s.trim())) : [...IMAGE_PLATFORMS];
  const arches: TargetArch[] = platforms.map((p) => p.arch);
  const dist = outputDirs(values.dist ? resolve(values.dist) : undefined).root;
  const cache = values.cache ? resolve(values.cache) : cacheRoot();
  const outDir = join(dist, 'images');
  const storageBase = values.storage ? resolve(values.storage) : join(cache, 'buildah');
  const entries: Partial<Record<AppName, string>> = {};
  for (const e of values.entry ?? []) {
    const [app, file] = e.split('=', 2);
    if (!app || !file) throw new Error(`--entry expects APP=FILE, got "${e}"`);
    entries[parseApps(app)[0]!] = resolve(file);
  }
  const shipOptions = { progress, dist, cache, entries };

  // The whole build holds the lock: it rewrites dist/bundles and dist/bin/native-* too.
  mkdirSync(dist, { recursive: true });
  const lock = join(dist, '.build-images.lock');
  await withBuildLock(lock, async () => {
    ensureImageHostPackages(platforms, (l) => progress.info(l));
    const bundles = await buildBundles({ ...shipOptions, apps });
    const natives = await buildAddons({ ...shipOptions, arches });
    const runtimes = await buildRuntimes({ ...shipOptions, arches });

    const runtimeInputs: Partial<Record<TargetArch, RuntimeInput>> = {};
    for (const r of runtimes) runtimeInputs[r.pin.arch] = { node: r.stripped, nodeVersion: r.pin.version };
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
      force: values.force,
    });
  }, (l) => progress.info(l));
  progress.info(`images in ${outDir} (${formatDuration(performance.now() - t0)} in all)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`build-images: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
