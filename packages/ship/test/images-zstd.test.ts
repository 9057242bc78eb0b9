// The zstd images: `npm run build:images -- --compression zstd` in the setup (a no-op when
// dist/images and dist/images-zstd are up to date), then each zstd layout checked against its
// gzip twin: the same platforms and configs, zstd frames that decompress to the very tars the
// configs name, one shared runtime layer per platform. Their reproducibility is checked with the
// gzip images' cold builds (images-built.test.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES, type AppName } from '../src/apps.js';
import { INPUTS_FILE } from '../src/images/build-images.js';
import { imagesDirName } from '../src/images/compression.js';
import { megabytes } from '../src/images/layer-sizes.js';
import { MEDIA_TYPES, blobPath, readOciLayout, verifyBlob, type LayoutImage, type OciLayout } from '../src/images/oci-layout.js';
import { IMAGE_PLATFORMS, platformName } from '../src/images/platforms.js';
import { LAYER_ZSTD, zstdDecompressFile, zstdLevelArgs, zstdVersion, zstdWindowBytes } from '../src/images/zstd.js';
import { outputDirs, repoRoot } from '../src/paths.js';

const dist = outputDirs().root;
const PLATFORMS = IMAGE_PLATFORMS.map(platformName);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const scratch = mkdtempSync(join(tmpdir(), 'gpio-fleet-images-zstd-test-'));
const gzip = new Map<AppName, OciLayout>();
const zstd = new Map<AppName, OciLayout>();

function image(layouts: Map<AppName, OciLayout>, app: AppName, platform: string): LayoutImage {
  const found = layouts.get(app)?.images.find((i) => i.platform === platform);
  if (!found) throw new Error(`${app} has no ${platform} image`);
  return found;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** The sha256 of what a zstd blob decompresses to, by the blob's digest (runtime layers are shared). */
const decompressed = new Map<string, string>();
async function tarDigest(layout: OciLayout, digest: string): Promise<string> {
  const known = decompressed.get(digest);
  if (known) return known;
  const tar = join(scratch, 'layer.tar');
  zstdDecompressFile(blobPath(layout.dir, digest), tar, LAYER_ZSTD.long);
  const d = await sha256File(tar);
  rmSync(tar);
  decompressed.set(digest, d);
  return d;
}

beforeAll(() => {
  execFileSync('npm', ['run', 'build:images', '--', '--compression', 'zstd'], { cwd: repoRoot, stdio: 'inherit' });
  for (const app of APP_NAMES) {
    gzip.set(app, readOciLayout(join(dist, imagesDirName('gzip'), app)));
    zstd.set(app, readOciLayout(join(dist, imagesDirName('zstd'), app)));
  }
}, 1_800_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('zstd layouts in dist/images-zstd', () => {
  it.each(APP_NAMES)('%s: the platforms and image configs of its gzip layout; every layer tar+zstd, a zstd frame, intact', (app) => {
    const layout = zstd.get(app)!;
    expect(layout.images.map((i) => i.platform).sort()).toEqual([...PLATFORMS].sort());
    for (const img of layout.images) {
      const twin = image(gzip, app, img.platform);
      // The same config blob: same diff_ids, same image ID on a node.
      expect(img.manifest.config.digest).toBe(twin.manifest.config.digest);
      expect(img.manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA_TYPES.layerZstd, MEDIA_TYPES.layerZstd]);
      for (const l of [img.manifest.config, ...img.manifest.layers]) verifyBlob(layout.dir, l);
      for (const l of img.manifest.layers) expect(readFileSync(blobPath(layout.dir, l.digest)).subarray(0, 4)).toEqual(ZSTD_MAGIC);
    }
  });

  it.each(APP_NAMES)('%s: each zstd layer decompresses to the tar of the gzip layer, the diff_id both configs name', async (app) => {
    for (const img of zstd.get(app)!.images) {
      const diffIds = image(gzip, app, img.platform).config.rootfs.diff_ids;
      expect(img.config.rootfs.diff_ids).toEqual(diffIds);
      for (const [i, l] of img.manifest.layers.entries()) expect(await tarDigest(zstd.get(app)!, l.digest), `${img.platform} layer ${i}`).toBe(diffIds[i]);
    }
  }, 600_000);

  it.each(PLATFORMS)('%s: every app shares one zstd runtime layer, different from other platforms', (platform) => {
    const runtime = new Set(APP_NAMES.map((app) => image(zstd, app, platform).manifest.layers[0]!.digest));
    expect(runtime.size).toBe(1);
    const others = PLATFORMS.filter((p) => p !== platform).map((p) => image(zstd, APP_NAMES[0]!, p).manifest.layers[0]!.digest);
    expect(others).not.toContain([...runtime][0]);
  });

  it.each(PLATFORMS)(`%s: the runtime layer asks its decoder for a window of at most 2^${LAYER_ZSTD.long} bytes`, (platform) => {
    const l = image(zstd, 'light-sensor', platform).manifest.layers[0]!;
    const window = zstdWindowBytes(blobPath(zstd.get('light-sensor')!.dir, l.digest));
    expect(window).toBeLessThanOrEqual(2 ** LAYER_ZSTD.long!);
    // A window much smaller than the settings' would mean they were not applied.
    expect(window).toBeGreaterThan(2 ** (LAYER_ZSTD.long! - 1));
  });

  it('records the zstd version and flags it was made with, and compresses harder than gzip', () => {
    const recorded = JSON.parse(readFileSync(join(dist, imagesDirName('zstd'), INPUTS_FILE), 'utf8')) as Record<string, { zstd: string }>;
    for (const app of APP_NAMES) expect(recorded[app]?.zstd).toBe(`${zstdVersion()} ${zstdLevelArgs(LAYER_ZSTD).join(' ')}`);
    const lines: string[] = [];
    for (const platform of PLATFORMS) {
      const bytes = (layouts: Map<AppName, OciLayout>) => {
        const images = ['light-sensor', 'traffic-light'].map((app) => image(layouts, app, platform));
        return { runtime: images[0]!.manifest.layers[0]!.size, both: images[0]!.manifest.layers[0]!.size + images.reduce((n, i) => n + i.manifest.layers[1]!.size, 0) };
      };
      const [g, z] = [bytes(gzip), bytes(zstd)];
      // Level 3 gives 0.90 of gzip's runtime layer, the chosen settings about 0.70.
      expect(z.runtime / g.runtime, platform).toBeLessThan(0.75);
      lines.push(`${platform}: light-sensor + traffic-light ${megabytes(g.both)} gzip, ${megabytes(z.both)} zstd`);
    }
    process.stdout.write(`[images-zstd] first install:\n  ${lines.join('\n  ')}\n`);
  });
});
