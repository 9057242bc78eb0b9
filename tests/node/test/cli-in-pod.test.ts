// 4. gpio-fleet in a pod: the CLI's own image (the apps' scheme: the same runtime layer, its
// bundle in the app layer), pulled from the registry and run by the kubelet as the deploy/rbac
// viewer ServiceAccount, with the in-cluster configuration the pod gets. The viewer may list
// nodes and may not label them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyYamlFile, core, deleteNamespace, deleteObjects, imageRepository, NODE, podLog, repoRoot, suffix, waitFor } from './support/cluster.js';

const NAMESPACE = 'gpio-fleet';
const rbacDir = join(repoRoot, 'deploy', 'rbac');
let rbac: KubernetesObject[] = [];

beforeAll(async () => {
  // A clean start: the namespace of deploy/rbac, as its files create it.
  await deleteNamespace(NAMESPACE);
  for (const f of readdirSync(rbacDir).filter((x) => x.endsWith('.yaml')).sort()) rbac.push(...(await applyYamlFile(join(rbacDir, f))));
});

afterAll(async () => {
  await deleteObjects(rbac.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ServiceAccount'));
  await deleteNamespace(NAMESPACE);
  rbac = [];
});

interface Ran {
  exitCode: number | undefined;
  log: string;
}

/** Runs `gpio-fleet <args>` as a pod on real-0 under `serviceAccount`; its exit code and log. */
async function inCluster(args: readonly string[], serviceAccount: string): Promise<Ran> {
  const name = `gpio-fleet-${args[0]}-${suffix()}`;
  const pod: V1Pod = {
    metadata: { name, namespace: NAMESPACE },
    spec: {
      serviceAccountName: serviceAccount,
      restartPolicy: 'Never',
      // The kwok nodes would "run" it too; only real-0 runs containers.
      nodeSelector: { 'kubernetes.io/hostname': NODE },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'gpio-fleet',
          image: `${imageRepository('gpio-fleet')}:${inject('imageTags')['gpio-fleet']}`,
          args: [...args],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
  await core().createNamespacedPod({ namespace: NAMESPACE, body: pod });
  const done = await waitFor(`pod ${name} to finish`, async () => {
    const p = await core().readNamespacedPod({ name, namespace: NAMESPACE });
    return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
  }, 120_000, 250);
  return { exitCode: done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, log: await podLog(NAMESPACE, name) };
}

describe('4. gpio-fleet in a pod', () => {
  it('gpio-fleet nodes --output json succeeds as gpio-fleet-viewer with the in-cluster configuration', async () => {
    const r = await inCluster(['nodes', '--output', 'json'], 'gpio-fleet-viewer');
    expect(r.exitCode, r.log).toBe(0);
    const nodes = JSON.parse(r.log) as { name: string; arch: string }[];
    expect(nodes.map((n) => n.name)).toEqual(expect.arrayContaining([NODE, 'pi4-a', 'pi5-a']));
    expect(nodes.find((n) => n.name === NODE)?.arch).toBe('amd64');
  });

  it('gpio-fleet label from the viewer account fails with exit 6, and the node keeps its labels', async () => {
    // pi4-a has no device label, so the label command must patch (real-0's no-op would not).
    const r = await inCluster(['label', 'pi4-a'], 'gpio-fleet-viewer');
    expect(r.exitCode, r.log).toBe(6);
    expect(r.log).toMatch(/forbidden|cannot patch/i);
    expect((await core().readNode({ name: 'pi4-a' })).metadata?.labels).not.toHaveProperty('device');
  });
});
