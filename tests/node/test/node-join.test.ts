// real-0 is a real kubelet on this machine, registered like any node, next to the kwok fleet.
import { CONTAINERD_VERSION, KUBERNETES_VERSION } from '@gpio-fleet/test-tools/provision';
import { POD_NETWORK } from '@gpio-fleet/cluster-tests';
import { describe, expect, it } from 'vitest';
import { core, NODE } from './support/cluster.js';

describe('the real node', () => {
  it('is Ready, amd64, reached at its node IP, and carries no device label', async () => {
    const node = await core().readNode({ name: NODE });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': NODE });
    expect(node.metadata?.labels).not.toHaveProperty('device');
    expect(node.metadata?.annotations ?? {}).not.toHaveProperty('kwok.x-k8s.io/node');
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: POD_NETWORK.nodeIp });
  });

  it('runs the pinned kubelet and containerd', async () => {
    const info = (await core().readNode({ name: NODE })).status?.nodeInfo;
    expect(info?.kubeletVersion).toBe(KUBERNETES_VERSION);
    expect(info?.containerRuntimeVersion).toBe(`containerd://${CONTAINERD_VERSION.slice(1)}`);
  });

  it('joins the kwok fleet, which stays as it was', async () => {
    const nodes = (await core().listNode()).items;
    const fake = nodes.filter((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
    expect(fake.length).toBeGreaterThan(0);
    for (const n of fake) expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, n.metadata?.name).toBe('True');
  });
});
