// Our images for the real node: built by `npm run build:images` (packages/ship; a no-op when
// dist/images matches its inputs) and pushed with every platform into the node's registry as
// <registry>/<app>:<appVersion of the app's chart>, so `--set image.repository=<registry>/<app>`
// is all a chart needs. An app without a chart (gpio-fleet) is tagged with its own version.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from '@gpio-fleet/ship/images';
import type { Log } from '@gpio-fleet/test-tools/provision';
import { pushImage } from './registry.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const IMAGES_DIR = join(REPO_ROOT, 'dist', 'images');
/** The lock `npm run build:images` holds in its dist directory (packages/ship/src/images/cli.ts). */
const IMAGE_BUILD_LOCK = '.build-images.lock';

/** Runs the image build as a developer does, its progress on stderr; returns dist/images. */
export function ensureImagesBuilt(log: Log): string {
  const t0 = Date.now();
  execFileSync('npm', ['run', '--silent', 'build:images'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 'inherit'] });
  log(`images in ${IMAGES_DIR} (npm run build:images: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return IMAGES_DIR;
}

/** The reference name an OCI layout's index gives its image (ship names it by the app's version). */
export function layoutRef(layout: string): string {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests?: { annotations?: Record<string, string> }[] };
  const ref = index.manifests?.[0]?.annotations?.['org.opencontainers.image.ref.name'];
  if (!ref) throw new Error(`${layout}/index.json names no image (org.opencontainers.image.ref.name)`);
  return ref;
}

/** charts/<app>/Chart.yaml's appVersion, if the app has a chart. */
export function chartAppVersion(app: string, root: string = REPO_ROOT): string | undefined {
  const chart = join(root, 'charts', app, 'Chart.yaml');
  if (!existsSync(chart)) return undefined;
  const m = /^appVersion:\s*["']?([^"'\s]+)["']?\s*$/m.exec(readFileSync(chart, 'utf8'));
  if (!m) throw new Error(`${chart} has no appVersion`);
  return m[1]!;
}

export interface PushedImage {
  app: string;
  /** <registry>/<app> */
  repository: string;
  tag: string;
}

/**
 * Pushes every app image in `imagesDir`, all platforms, into `registry`. It holds the image
 * build's lock meanwhile: an `npm run build:images` elsewhere rewrites the layouts in place.
 */
export async function pushAppImages(o: { skopeo: string; registry: string; imagesDir: string; log: Log }): Promise<PushedImage[]> {
  return withBuildLock(join(o.imagesDir, '..', IMAGE_BUILD_LOCK), async () => pushLayouts(o), o.log);
}

function pushLayouts(o: { skopeo: string; registry: string; imagesDir: string; log: Log }): PushedImage[] {
  const apps = readdirSync(o.imagesDir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(o.imagesDir, e.name, 'index.json'))).map((e) => e.name).sort();
  if (apps.length === 0) throw new Error(`no images in ${o.imagesDir}: run npm run build:images`);
  return apps.map((app) => {
    const layout = join(o.imagesDir, app);
    const ref = layoutRef(layout);
    const tag = chartAppVersion(app) ?? ref;
    const t0 = Date.now();
    pushImage(o.skopeo, { layout, layoutRef: ref, registry: o.registry, repository: app, tag });
    o.log(`pushed ${o.registry}/${app}:${tag} (every platform) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { app, repository: `${o.registry}/${app}`, tag };
  });
}
