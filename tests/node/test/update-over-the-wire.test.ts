// 6. Update over the wire: the light-sensor image rebuilt after a code-only change, pushed as a
// new tag, and `helm upgrade --set image.tag=<new>`. The rollout completes on real-0, and the
// registry's access log shows what the node fetched: the new manifests, config and app layer,
// never the runtime layer it already has.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bytesFetched, layoutRef, pushImage, registryLog, type RegistryFetch } from '@gpio-fleet/cluster-tests';
import { writeCodeOnlyChange } from '@gpio-fleet/ship';
import { readOciLayout, type OciLayout } from '@gpio-fleet/ship/images';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apps, chartDir, freshNamespace, helm, imageRepository, installApp, labelNode, podName, readyPod, repoRoot, suffix, unlabelNode, waitFor, type Namespace } from './support/cluster.js';

let ns: Namespace;
let before: V1Pod;
let rebuilt: OciLayout;
const tag = `${inject('imageTags')['light-sensor']}-update-${suffix()}`;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('update');
  await installApp(ns.name, 'light-sensor');
  await labelNode();
  before = await readyPod(ns.name, 'light-sensor');
  // The same app with one statement added, through the same image build (amd64: real-0's platform).
  const scratch = join(inject('nodeRunDir'), 'scratch', `update-${suffix()}`);
  mkdirSync(scratch, { recursive: true });
  const entry = writeCodeOnlyChange('light-sensor', scratch, tag);
  execFileSync(process.execPath, [join(repoRoot, 'packages', 'ship', 'dist', 'images', 'cli.js'), '--app', 'light-sensor', '--arch', 'x64', '--dist', join(scratch, 'dist'), '--entry', `light-sensor=${entry}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const layout = join(scratch, 'dist', 'images', 'light-sensor');
  rebuilt = readOciLayout(layout);
  pushImage(inject('skopeo'), { layout, layoutRef: layoutRef(layout), registry: inject('registry'), repository: 'light-sensor', tag });
}, 600_000);

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

describe('6. update over the wire', () => {
  it('helm upgrade --set image.tag=<new>: the rollout completes on real-0, pulling only the app layer', async () => {
    const log = registryLog(inject('registryLogFile'));
    const mark = log.mark();
    await helm(['upgrade', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--reuse-values', '--set', `image.tag=${tag}`]);
    const after = await readyPod(ns.name, 'light-sensor', 180_000, podName(before));
    expect(after.status?.containerStatuses?.[0]?.image).toBe(`${imageRepository('light-sensor')}:${tag}`);
    await waitFor('the DaemonSet rollout to complete', async () => {
      const [ds] = (await apps().listNamespacedDaemonSet({ namespace: ns.name, labelSelector: 'app.kubernetes.io/name=light-sensor' })).items;
      const s = ds?.status;
      return ds && (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 1) && s?.updatedNumberScheduled === 1 && s.numberAvailable === 1 ? true : undefined;
    }, 120_000, 250);

    const fetched = log.since(mark).filter((f) => f.repository === 'light-sensor' && f.method === 'GET' && f.status === 200);
    const [image] = rebuilt.images;
    const runtimeLayer = image!.manifest.layers[0]!.digest;
    const appLayer = image!.manifest.layers[1]!.digest;
    const config = image!.manifest.config.digest;
    const blobs = fetched.filter((f) => f.kind === 'blobs');
    const kinds = new Map([[config, 'config'], [appLayer, 'app layer'], [runtimeLayer, 'runtime layer']]);
    const named = (f: RegistryFetch) => `${f.kind === 'manifests' ? 'manifest' : (kinds.get(f.reference) ?? 'blob')} ${f.reference.slice(0, 19)} ${f.bytes} B`;
    const total = bytesFetched(fetched);
    process.stdout.write(`[node-tests] real-0 fetched for the update: ${fetched.map(named).join(', ')}; ${total} B in all (${(total / 1e6).toFixed(3)} MB)\n`);

    expect(blobs.map((b) => b.reference)).not.toContain(runtimeLayer);
    expect(blobs.map((b) => b.reference).sort()).toEqual([appLayer, config].sort());
    // The new tag's manifests: the index it names, and the amd64 manifest in it.
    expect(fetched.filter((f) => f.kind === 'manifests').map((f) => f.reference)).toEqual(expect.arrayContaining([image!.manifestDigest]));
    expect(total).toBeLessThan(1_000_000);
  });
});
