// Reads an OCI image layout (the directory `buildah manifest push --all ... oci:DIR` writes):
// index.json -> image index -> one manifest per platform -> config + layers. Used for the
// build's size table and by the tests; reading is separate from the digest checks so a
// corrupt blob is reported as such.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageConfig {
  created?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, object>;
    StopSignal?: string;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean }[];
}

export interface LayoutImage {
  /** "linux/arm/v7" style. */
  platform: string;
  manifestDigest: string;
  manifest: ImageManifest;
  config: ImageConfig;
}

export interface OciLayout {
  dir: string;
  /** The image index that lists the platforms (the one index.json points at). */
  index: ImageIndex;
  indexDigest: string;
  images: LayoutImage[];
}

export function blobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex) throw new Error(`malformed digest "${digest}"`);
  return join(dir, 'blobs', algorithm, hex);
}

export function readBlob(dir: string, digest: string): Buffer {
  return readFileSync(blobPath(dir, digest));
}

/** Recompute a blob's sha256 and size and compare them with its descriptor. */
export function verifyBlob(dir: string, d: Pick<Descriptor, 'digest' | 'size'>): void {
  const data = readBlob(dir, d.digest);
  const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  if (actual !== d.digest || data.length !== d.size) {
    throw new Error(`blob ${d.digest} in ${dir} has digest ${actual} and size ${data.length}, expected size ${d.size}`);
  }
}

function json<T>(dir: string, digest: string): T {
  return JSON.parse(readBlob(dir, digest).toString('utf8')) as T;
}

export function descriptorPlatform(d: Descriptor): string {
  const p = d.platform;
  if (!p) throw new Error(`manifest ${d.digest} has no platform in the index`);
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Read a multi-platform OCI layout written by `buildah manifest push --all`. */
export function readOciLayout(dir: string): OciLayout {
  const top = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as ImageIndex;
  // containers/image stores a manifest list as index.json -> (image index blob); accept a
  // flat index.json too, as other writers produce.
  let index = top;
  let indexDigest = '';
  const nested = top.manifests.filter((m) => m.mediaType === MEDIA_TYPES.index);
  if (nested.length > 1) throw new Error(`${dir}/index.json lists ${nested.length} image indexes; expected one`);
  if (nested[0]) {
    indexDigest = nested[0].digest;
    index = json<ImageIndex>(dir, indexDigest);
  }
  const images = index.manifests.map((d): LayoutImage => {
    if (d.mediaType !== MEDIA_TYPES.manifest) throw new Error(`unexpected ${d.mediaType} in the image index of ${dir}`);
    const manifest = json<ImageManifest>(dir, d.digest);
    return { platform: descriptorPlatform(d), manifestDigest: d.digest, manifest, config: json<ImageConfig>(dir, manifest.config.digest) };
  });
  return { dir, index, indexDigest, images };
}
