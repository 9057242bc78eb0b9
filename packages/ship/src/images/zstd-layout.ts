// The zstd layouts are derived from the gzip ones, not built again: each gzip layer is
// decompressed, checked against the diff_id its config records, and recompressed with zstd.
// So the configs (and with them the diff_ids and the image IDs runtimes show) are the gzip
// images' own, and only the layer descriptors, manifests and indexes differ. The runtime layer
// of a platform is one diff_id in every app, so it becomes one zstd blob too.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MEDIA_TYPES, blobPath, readOciLayout, type Descriptor, type ImageIndex } from './oci-layout.js';
import { zstdCompressFile, type ZstdSettings } from './zstd.js';

export interface ZstdLayoutOptions {
  /** A gzip layout, as `buildah manifest push --all` wrote it. */
  source: string;
  /** Replaced by the zstd layout. */
  target: string;
  /** Room for one uncompressed layer at a time. */
  scratchDir: string;
  settings: ZstdSettings;
  /** zstd blobs made before with the same settings and zstd, by the diff_id they decompress to. */
  known: Map<string, string>;
}

export interface ZstdLayoutResult {
  compressed: number;
  reused: number;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Gunzip `gz` to `tar`; throws unless the tar is the diff_id the image config names. */
async function gunzipChecked(gz: string, tar: string, diffId: string): Promise<void> {
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(gz), createGunzip(), tee, createWriteStream(tar));
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== diffId) throw new Error(`${gz} decompresses to ${actual}, but the image config gives its diff_id as ${diffId}`);
}

/** Store `data` as a blob of `dir`; returns its digest and size. */
function writeJsonBlob(dir: string, value: unknown): Pick<Descriptor, 'digest' | 'size'> {
  const data = Buffer.from(JSON.stringify(value));
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(blobPath(dir, digest), data);
  return { digest, size: data.length };
}

/** Copy (or move) a zstd blob into `dir` under its digest. */
async function placeBlob(dir: string, file: string, move: boolean): Promise<Pick<Descriptor, 'digest' | 'size'>> {
  const digest = await sha256File(file);
  const to = blobPath(dir, digest);
  if (!existsSync(to)) {
    if (move) renameSync(file, to);
    else copyFileSync(file, to);
  } else if (move) rmSync(file);
  return { digest, size: statSync(to).size };
}

/** Write the zstd twin of the gzip layout `source` to `target`; `known` learns its blobs. */
export async function writeZstdLayout(o: ZstdLayoutOptions): Promise<ZstdLayoutResult> {
  const tmp = `${o.target}.partial`;
  try {
    return await writeInto(tmp, o);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The layout is written in `tmp`, then moved over the target in one rename. */
async function writeInto(tmp: string, o: ZstdLayoutOptions): Promise<ZstdLayoutResult> {
  const layout = readOciLayout(o.source);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'blobs', 'sha256'), { recursive: true });
  mkdirSync(o.scratchDir, { recursive: true });
  copyFileSync(join(o.source, 'oci-layout'), join(tmp, 'oci-layout'));
  const result: ZstdLayoutResult = { compressed: 0, reused: 0 };
  const written = new Map<string, Pick<Descriptor, 'digest' | 'size'>>();
  const manifests = new Map<string, Pick<Descriptor, 'digest' | 'size'>>();

  const zstdLayer = async (gzip: Descriptor, diffId: string): Promise<Pick<Descriptor, 'digest' | 'size'>> => {
    const done = written.get(diffId);
    if (done) return done;
    if (gzip.mediaType !== MEDIA_TYPES.layerGzip) throw new Error(`${o.source}: layer ${gzip.digest} is ${gzip.mediaType}, expected ${MEDIA_TYPES.layerGzip}`);
    let placed: Pick<Descriptor, 'digest' | 'size'>;
    const before = o.known.get(diffId);
    if (before && existsSync(before)) {
      placed = await placeBlob(tmp, before, false);
      result.reused++;
    } else {
      const name = join(o.scratchDir, diffId.replace(':', '-'));
      try {
        await gunzipChecked(blobPath(o.source, gzip.digest), `${name}.tar`, diffId);
        zstdCompressFile(`${name}.tar`, `${name}.tar.zst`, o.settings);
      } finally {
        rmSync(`${name}.tar`, { force: true });
      }
      placed = await placeBlob(tmp, `${name}.tar.zst`, true);
      result.compressed++;
    }
    written.set(diffId, placed);
    return placed;
  };

  for (const image of layout.images) {
    const { manifest, config } = image;
    copyFileSync(blobPath(o.source, manifest.config.digest), blobPath(tmp, manifest.config.digest));
    const layers: Descriptor[] = [];
    for (const [i, l] of manifest.layers.entries()) {
      const diffId = config.rootfs.diff_ids[i];
      if (!diffId) throw new Error(`${o.source} ${image.platform}: the config has no diff_id for layer ${i}`);
      // Spread over the old descriptor: same fields, same order, new values.
      layers.push({ ...l, mediaType: MEDIA_TYPES.layerZstd, ...(await zstdLayer(l, diffId)) });
    }
    manifests.set(image.manifestDigest, writeJsonBlob(tmp, { ...manifest, layers }));
  }

  const rewrite = (index: ImageIndex, replaced: ReadonlyMap<string, Pick<Descriptor, 'digest' | 'size'>>): ImageIndex => ({
    ...index,
    manifests: index.manifests.map((d) => {
      const now = replaced.get(d.digest);
      if (!now) throw new Error(`${o.source}: ${d.mediaType} ${d.digest} in an index is not one this layout's images lead to`);
      return { ...d, ...now };
    }),
  });
  const top = JSON.parse(readFileSync(join(o.source, 'index.json'), 'utf8')) as ImageIndex;
  // containers/image nests the platforms' index under index.json; a flat index.json lists them itself.
  const outer = layout.indexDigest ? new Map([[layout.indexDigest, writeJsonBlob(tmp, rewrite(layout.index, manifests))]]) : manifests;
  writeFileSync(join(tmp, 'index.json'), JSON.stringify(rewrite(top, outer)));

  rmSync(o.target, { recursive: true, force: true });
  renameSync(tmp, o.target);
  for (const [diffId, d] of written) o.known.set(diffId, blobPath(o.target, d.digest));
  return result;
}
