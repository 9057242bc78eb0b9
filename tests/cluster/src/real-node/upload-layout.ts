// Pushes an OCI layout's bytes to the registry as they are, over the distribution API (blob
// uploads, then manifests by digest, then the index by tag). The zstd images need it: skopeo
// 1.9 (Debian 12) consults its machine-wide blob-info cache while pushing and, finding a gzip
// blob of the same content already in the registry (the gzip images share every diff_id),
// mounts that blob instead of uploading the zstd one and rewrites the manifest, even with
// --preserve-digests; the node then pulls gzip under the zstd tag. Seen on the arm64 runtime
// layer here, and described for users in packages/ship/docs/images.md#pushing-zstd-images.
import { MEDIA_TYPES, readBlob, readOciLayout } from '@gpio-fleet/ship/images';

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: the registry answered ${res.status} ${res.statusText}: ${(await res.text()).slice(0, 500)}`);
  return res;
}

async function uploadBlob(base: string, repository: string, digest: string, data: Buffer): Promise<void> {
  const head = await fetch(`${base}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return;
  const started = await ok(await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' }), `starting the upload of ${digest}`);
  const location = started.headers.get('location');
  if (!location) throw new Error(`the registry started an upload of ${digest} without a Location`);
  const url = new URL(location, base);
  url.searchParams.set('digest', digest);
  await ok(await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: data }), `uploading ${digest} (${data.length} B)`);
}

async function putManifest(base: string, repository: string, reference: string, mediaType: string, data: Buffer): Promise<string> {
  const res = await ok(await fetch(`${base}/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: data }), `putting manifest ${reference}`);
  return res.headers.get('docker-content-digest') ?? '';
}

/**
 * Uploads every platform of the layout at `dir` to `http://<registry>/<repository>:<tag>` and
 * returns the index digest, which is the layout's own (checked against what the registry says).
 */
export async function uploadLayout(o: { layout: string; registry: string; repository: string; tag: string }): Promise<string> {
  const base = `http://${o.registry}`;
  const layout = readOciLayout(o.layout);
  for (const image of layout.images) {
    for (const d of [image.manifest.config, ...image.manifest.layers]) await uploadBlob(base, o.repository, d.digest, readBlob(o.layout, d.digest));
    const stored = await putManifest(base, o.repository, image.manifestDigest, MEDIA_TYPES.manifest, readBlob(o.layout, image.manifestDigest));
    if (stored !== image.manifestDigest) throw new Error(`the registry stored ${image.platform}'s manifest as ${stored}, not ${image.manifestDigest}`);
  }
  const stored = await putManifest(base, o.repository, o.tag, MEDIA_TYPES.index, readBlob(o.layout, layout.indexDigest));
  if (stored !== layout.indexDigest) throw new Error(`the registry stored the index as ${stored}, not ${layout.indexDigest}`);
  return stored;
}
