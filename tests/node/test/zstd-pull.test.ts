// 8. zstd images on the node: light-sensor's zstd layout (`npm run build:images -- --compression
// zstd`, packages/ship/docs/images.md#zstd-layers) uploaded as <registry>/light-sensor-zstd and
// installed with helm. containerd pulls the tar+zstd layers, unpacks them and runs the app; the
// registry's access log shows which blobs it fetched, the registry serves them with zstd media
// types, and containerd's content store holds those very blobs, each labelled with the diff_id
// it decompressed to.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { awaitLayersGone, bytesFetched, chainIds, CRI_NAMESPACE, ctr, registryLog, removeImages, uploadLayout, type RegistryFetch } from '@gpio-fleet/cluster-tests';
import { imagesDirName, MEDIA_TYPES, readOciLayout, withBuildLock, type ImageManifest, type LayoutImage } from '@gpio-fleet/ship/images';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chartDir, freshNamespace, helm, imageRepository, labelNode, readyPod, repoRoot, unlabelNode, type Namespace } from './support/cluster.js';

const REPOSITORY = 'light-sensor-zstd';
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const dist = join(repoRoot, 'dist');
const tag = inject('imageTags')['light-sensor']!;
const log = (m: string) => process.stderr.write(`[node-tests] ${m}\n`);
const ctrOnNode = (args: readonly string[]) => ctr(inject('ctr'), inject('containerdSocket'), args);

let ns: Namespace;
let pod: V1Pod;
let indexDigest: string;
/** The amd64 image of the zstd layout: real-0's platform. */
let amd64: LayoutImage;
/** containerd's successful GETs of light-sensor-zstd while the pod started (206s too: a large layer may come in ranges). */
let fetched: RegistryFetch[];

beforeAll(async () => {
  await unlabelNode();
  // A no-op for dist/images (the global setup built it) and, once made, for dist/images-zstd.
  execFileSync('npm', ['run', '--silent', 'build:images', '--', '--compression', 'zstd'], { cwd: repoRoot, stdio: ['ignore', 2, 'inherit'] });
  const layout = join(dist, imagesDirName('zstd'), 'light-sensor');
  // Under the image build's lock, as the global setup pushes: a build elsewhere rewrites layouts in place.
  // Uploaded as the layout's bytes, not with skopeo (which may mount the gzip twin of a layer
  // instead: upload-layout.ts).
  const pushed = await withBuildLock(join(dist, '.build-images.lock'), async () => {
    await uploadLayout({ layout, registry: inject('registry'), repository: REPOSITORY, tag });
    return readOciLayout(layout);
  }, log);
  indexDigest = pushed.indexDigest;
  amd64 = pushed.images.find((i) => i.platform === 'linux/amd64')!;
  // containerd does not fetch a layer whose unpacked snapshot it already has, and the gzip
  // images unpack to the same diff_ids: so none of our images may stay on the node.
  for (const repository of [...Object.keys(inject('imageTags')), REPOSITORY]) removeImages(inject('ctr'), inject('containerdSocket'), imageRepository(repository));
  // Nor their unpacked layers: the container of a pod an earlier file deleted keeps them until
  // the kubelet removes it, and every app shares the runtime layer.
  await awaitLayersGone({ ctrBinary: inject('ctr'), socket: inject('containerdSocket'), diffIds: amd64.config.rootfs.diff_ids, log });
  ns = await freshNamespace('zstd');
}, 1_800_000);

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
  removeImages(inject('ctr'), inject('containerdSocket'), imageRepository(REPOSITORY));
});

describe('8. zstd images', () => {
  it('helm install with image.repository=<registry>/light-sensor-zstd: containerd fetches the zstd layers and the pod on real-0 is Ready', async () => {
    const registry = registryLog(inject('registryLogFile'));
    const mark = registry.mark();
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none', '--set', `image.repository=${imageRepository(REPOSITORY)}`]);
    await labelNode();
    pod = await readyPod(ns.name, 'light-sensor');
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.image).toBe(`${imageRepository(REPOSITORY)}:${tag}`);
    // The digest of the zstd index, not of the gzip one (whose configs it shares).
    expect(status?.imageID).toBe(`${imageRepository(REPOSITORY)}@${indexDigest}`);

    fetched = registry.since(mark).filter((f) => f.repository === REPOSITORY && f.method === 'GET' && f.status >= 200 && f.status < 300 && f.userAgent.startsWith('containerd/'));
    const blobBytes = (digest: string) => bytesFetched(fetched.filter((f) => f.kind === 'blobs' && f.reference === digest));
    for (const l of amd64.manifest.layers) {
      expect(l.mediaType).toBe(MEDIA_TYPES.layerZstd);
      expect(blobBytes(l.digest), `bytes containerd fetched of layer ${l.digest}`).toBe(l.size);
    }
    expect(fetched.filter((f) => f.kind === 'manifests').map((f) => f.reference)).toContain(amd64.manifestDigest);
    const layerBytes = amd64.manifest.layers.reduce((n, l) => n + l.size, 0);
    process.stdout.write(`[node-tests] real-0 pulled light-sensor-zstd: ${fetched.map((f) => `${f.kind} ${f.reference.slice(0, 19)} ${f.bytes} B`).join(', ')}; layers ${(layerBytes / 1e6).toFixed(2)} MB\n`);
  });

  it('the registry serves the manifest containerd fetched with tar+zstd layers', async () => {
    const res = await fetch(`http://${inject('registry')}/v2/${REPOSITORY}/manifests/${amd64.manifestDigest}`, { headers: { accept: MEDIA_TYPES.manifest } });
    expect(res.status).toBe(200);
    const served = (await res.json()) as ImageManifest;
    expect(served.layers.map((l) => l.mediaType)).toEqual([MEDIA_TYPES.layerZstd, MEDIA_TYPES.layerZstd]);
    expect(served.layers.map((l) => l.digest)).toEqual(amd64.manifest.layers.map((l) => l.digest));
    const byTag = await fetch(`http://${inject('registry')}/v2/${REPOSITORY}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MEDIA_TYPES.index } });
    expect(byTag.headers.get('docker-content-digest')).toBe(indexDigest);
  });

  it("containerd's content store holds the zstd blobs, each labelled with the diff_id it unpacked to, and the snapshots are named by chain ID", () => {
    // DIGEST, SIZE, AGE ("3 seconds"), LABELS (k=v,k=v or "-"), separated by tabs.
    const labels = new Map(
      ctrOnNode(['content', 'ls'])
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t').map((c) => c.trim()).filter(Boolean))
        .filter((cols) => cols.length >= 4)
        .map((cols) => [cols[0]!, Object.fromEntries(cols.at(-1)!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))]),
    );
    for (const [i, l] of amd64.manifest.layers.entries()) {
      expect(labels.get(l.digest)?.['containerd.io/uncompressed'], `layer ${i} ${l.digest}`).toBe(amd64.config.rootfs.diff_ids[i]);
      const blob = spawnSync(inject('ctr'), ['--address', inject('containerdSocket'), '--namespace', CRI_NAMESPACE, 'content', 'get', l.digest], { maxBuffer: 256 * 1024 * 1024 });
      expect(blob.status).toBe(0);
      expect(blob.stdout.subarray(0, 4)).toEqual(ZSTD_MAGIC);
      expect(`sha256:${createHash('sha256').update(blob.stdout).digest('hex')}`).toBe(l.digest);
    }
    // The names awaitLayersGone waits on before the pull: were they wrong, it would wait on nothing.
    const keys = ctrOnNode(['snapshots', '--snapshotter', 'overlayfs', 'ls']).split('\n').map((l) => l.trim().split(/\s+/)[0]);
    for (const id of chainIds(amd64.config.rootfs.diff_ids)) expect(keys, `snapshot ${id}`).toContain(id);
  });
});
