// The zstd twin of a gzip layout, on a small hand-made layout shaped like buildah's (index.json
// -> image index -> two platforms sharing a runtime layer), with Debian's real zstd: media
// types, frames, diff_ids, shared blobs, byte-identical output, reuse, and refusals.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCompression } from '../src/images/compression.js';
import { MEDIA_TYPES, blobPath, readBlob, readOciLayout, verifyBlob } from '../src/images/oci-layout.js';
import { zstdDecompressFile, zstdLevelArgs, type ZstdSettings } from '../src/images/zstd.js';
import { writeZstdLayout } from '../src/images/zstd-layout.js';

const scratch = mkdtempSync(join(tmpdir(), 'zstd-layout-test-'));
const SETTINGS: ZstdSettings = { level: 19, long: 27 };
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Not random: the same bytes every run, compressible like a binary with repeats. */
function layerTar(seed: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i % 7 === 0 ? x >>> 24 : (i >>> 4) & 0xff;
  }
  return b;
}

/** A gzip layout in `dir`; `wrongDiffId` makes the arm64 config lie about its app layer. */
function gzipLayout(dir: string, o: { wrongDiffId?: boolean } = {}): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer | string) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
    writeFileSync(blobPath(dir, sha256(buf)), buf);
    return { digest: sha256(buf), size: buf.length };
  };
  const runtimeTar = layerTar(1, 300_000);
  const runtime = { mediaType: MEDIA_TYPES.layerGzip, ...put(gzipSync(runtimeTar)) };
  const manifests = ['amd64', 'arm64'].map((architecture, i) => {
    const appTar = layerTar(10 + i, 20_000);
    const app = { mediaType: MEDIA_TYPES.layerGzip, ...put(gzipSync(appTar)) };
    const diffIds = [sha256(runtimeTar), o.wrongDiffId && architecture === 'arm64' ? sha256('something else') : sha256(appTar)];
    const config = { mediaType: MEDIA_TYPES.config, ...put(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } })) };
    const m = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [runtime, app] }));
    return { mediaType: MEDIA_TYPES.manifest, ...m, platform: { architecture, os: 'linux' } };
  });
  const index = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPES.index, ...index, annotations: { 'org.opencontainers.image.ref.name': '0.1.0' } }] }));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}');
}

const source = join(scratch, 'gzip');
const zstdOf = async (name: string, known = new Map<string, string>(), from = source) => {
  const target = join(scratch, name);
  const result = await writeZstdLayout({ source: from, target, scratchDir: join(scratch, 'tmp'), settings: SETTINGS, known });
  return { target, result, known, layout: readOciLayout(target) };
};

beforeAll(() => {
  ensureDebianPackages(['zstd']);
  gzipLayout(source);
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the zstd twin of a gzip layout', () => {
  it('has zstd layers that decompress to the diff_ids of the unchanged configs', async () => {
    const { layout, target } = await zstdOf('a');
    const gzip = readOciLayout(source);
    expect(layout.images.map((i) => i.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(readFileSync(join(target, 'index.json'), 'utf8')).toContain('"org.opencontainers.image.ref.name":"0.1.0"');
    for (const [n, image] of layout.images.entries()) {
      expect(image.manifest.config.digest).toBe(gzip.images[n]!.manifest.config.digest);
      expect(image.manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA_TYPES.layerZstd, MEDIA_TYPES.layerZstd]);
      for (const [i, l] of image.manifest.layers.entries()) {
        verifyBlob(target, l);
        expect(readBlob(target, l.digest).subarray(0, 4)).toEqual(ZSTD_MAGIC);
        const tar = join(scratch, `check-${n}-${i}.tar`);
        zstdDecompressFile(blobPath(target, l.digest), tar);
        expect(sha256(readFileSync(tar))).toBe(image.config.rootfs.diff_ids[i]);
      }
    }
    // One runtime blob for both platforms, as in the gzip layout.
    expect(new Set(layout.images.map((i) => i.manifest.layers[0]!.digest)).size).toBe(1);
  });

  it('is byte-identical when made again from nothing', async () => {
    const [a, b] = [await zstdOf('once'), await zstdOf('twice')];
    expect(readFileSync(join(b.target, 'index.json'))).toEqual(readFileSync(join(a.target, 'index.json')));
    expect(b.layout.indexDigest).toBe(a.layout.indexDigest);
    expect(a.result).toEqual({ compressed: 3, reused: 0 });
  });

  it('copies a layer it made before instead of compressing it again', async () => {
    const first = await zstdOf('first');
    const again = await zstdOf('again', first.known);
    expect(again.result).toEqual({ compressed: 0, reused: 3 });
    expect(again.layout.indexDigest).toBe(first.layout.indexDigest);
    // The map now points into the new layout: the first one can go.
    rmSync(first.target, { recursive: true });
    expect((await zstdOf('third', again.known)).result).toEqual({ compressed: 0, reused: 3 });
  });

  it('refuses a gzip layer that does not decompress to the diff_id its config gives', async () => {
    const bad = join(scratch, 'bad-gzip');
    gzipLayout(bad, { wrongDiffId: true });
    await expect(zstdOf('bad', new Map(), bad)).rejects.toThrow(/decompresses to sha256:[0-9a-f]{64}, but the image config gives its diff_id as sha256:/);
  });
});

describe('zstd settings and the --compression value', () => {
  it('spells levels above 19 with --ultra and the window as --long', () => {
    expect(zstdLevelArgs({ level: 19, long: 27 })).toEqual(['-19', '--long=27']);
    expect(zstdLevelArgs({ level: 22 })).toEqual(['--ultra', '-22']);
    expect(() => zstdLevelArgs({ level: 23 })).toThrow(/level 23: expected an integer 1-22/);
  });

  it('accepts gzip and zstd, and names the value and the accepted forms otherwise', () => {
    expect(parseCompression('zstd')).toBe('zstd');
    expect(parseCompression('GZIP')).toBe('gzip');
    expect(() => parseCompression('brotli')).toThrow('--compression "brotli" is not a layer compression: expected one of gzip, zstd');
  });
});
