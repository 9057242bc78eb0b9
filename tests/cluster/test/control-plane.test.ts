// The control plane under the scenarios is the real thing: the built kube-apiserver answers,
// the fake fleet is registered as kubelets would, and kwok keeps the nodes Ready.
import { PatchStrategy, setHeaderOptions, VersionApi } from '@kubernetes/client-node';
import { KUBERNETES_VERSION } from '@gpio-fleet/test-tools/provision';
import { describe, expect, it } from 'vitest';
import { FLEET, GPIO_RESOURCE } from '../src/fleet.js';
import { core, freshNamespace, kubeConfig, waitFor } from './support/cluster.js';

describe('the test control plane', () => {
  it('is the pinned kube-apiserver, really running', async () => {
    const v = await kubeConfig().makeApiClient(VersionApi).getCode();
    expect(v.gitVersion).toMatch(new RegExp(`^${KUBERNETES_VERSION.replace(/\./g, '\\.')}`));
  });

  it('registers the fake fleet with realistic nodeInfo, Ready under kwok', async () => {
    const nodes = (await core().listNode()).items;
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(FLEET.map((n) => n.name).sort());
    for (const n of nodes) {
      const spec = FLEET.find((f) => f.name === n.metadata?.name)!;
      expect(n.status?.nodeInfo?.architecture).toBe(spec.arch);
      expect(n.status?.nodeInfo?.kernelVersion).toBe(spec.kernelVersion);
      expect(n.status?.nodeInfo?.osImage).toBe(spec.osImage);
      expect(n.metadata?.labels?.['kubernetes.io/arch']).toBe(spec.arch);
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.status?.allocatable?.[GPIO_RESOURCE]).toBe(spec.pi ? '10' : undefined);
    }
    const cp = nodes.find((n) => n.metadata?.name === 'cp-0')!;
    expect(cp.spec?.taints).toContainEqual(expect.objectContaining({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }));
  });

  it('runs the controller manager: the service-account controller fills a new namespace', async () => {
    const name = `sa-check-${Date.now()}`;
    await core().createNamespace({ body: { metadata: { name } } });
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const sas = (await core().listNamespacedServiceAccount({ namespace: name })).items.map((s) => s.metadata?.name);
        if (sas.includes('default')) break;
        if (Date.now() > deadline) throw new Error('no default ServiceAccount after 30 s: kube-controller-manager is not working');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await core().deleteNamespace({ name });
    }
  });

  it('makes a pod Ready again, as a kubelet would, once the node lifecycle controller cleared it (containers still ready)', async () => {
    const ns = await freshNamespace('ready-again');
    try {
      const body = { metadata: { name: 'p' }, spec: { nodeName: 'pi4-a', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } };
      await waitFor('the pod to be admitted', () => core().createNamespacedPod({ namespace: ns.name, body }).then(() => true, () => undefined));
      const ready = async () => (await core().readNamespacedPod({ namespace: ns.name, name: 'p' })).status?.conditions?.find((c) => c.type === 'Ready')?.status;
      await waitFor('kwok to run it', async () => ((await ready()) === 'True' ? true : undefined));
      // What MarkPodsNotReady writes when a node's lease is late: Ready False, containers untouched.
      const conditions = (await core().readNamespacedPod({ namespace: ns.name, name: 'p' })).status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
      await core().patchNamespacedPodStatus({ namespace: ns.name, name: 'p', body: { status: { conditions } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor('the pod to be Ready again', async () => ((await ready()) === 'True' ? true : undefined));
    } finally {
      await ns.remove();
    }
  });
});
