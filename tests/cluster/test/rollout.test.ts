// The original rollout story, end to end on the real control plane: install the light-sensor
// chart, label the Pis, add and unlabel nodes, roll out a new image.
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteNodes, registerNodes, type FakeNode } from '../src/fleet.js';
import { apps, chartDir, core, freshNamespace, gpioFleet, helm, isReady, kubeConfig, kubeconfig, nodesWithReadyPods, PI_NODES, podsIn, suffix, unlabelAll, waitFor } from './support/cluster.js';

const LS = 'app.kubernetes.io/name=light-sensor';
let ns: { name: string; remove: () => Promise<void> };
const extraNodes: string[] = [];

beforeEach(async () => {
  await unlabelAll();
  ns = await freshNamespace('rollout');
});

afterEach(async () => {
  await helm(['uninstall', 'light-sensor', '--namespace', ns.name, '--wait']).catch(() => undefined);
  await ns.remove();
  await deleteNodes(kubeconfig(), extraNodes.splice(0));
  await unlabelAll();
});

async function installLightSensor(extra: string[] = []): Promise<void> {
  await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none', ...extra]);
}

describe('scenario 1: install with no labelled node', () => {
  it('creates the DaemonSet and no pod', async () => {
    await installLightSensor();
    const ds = await waitFor('the DaemonSet controller to observe the DaemonSet', async () => {
      const list = (await apps().listNamespacedDaemonSet({ namespace: ns.name, labelSelector: LS })).items;
      const d = list[0];
      return d && (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) ? d : undefined;
    });
    expect(ds.spec?.template.spec?.nodeSelector).toEqual({ device: 'raspberry' });
    expect(ds.status?.desiredNumberScheduled).toBe(0);
    expect(await podsIn(ns.name)).toEqual([]);
    const status = await gpioFleet(['status', 'light-sensor', '--namespace', ns.name]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/light-sensor\s+0\s+0\s+0\s+0\s+0\s+complete/);
  });
});

describe('scenario 2: gpio-fleet label --auto', () => {
  it('labels exactly the Pis, and pods run on exactly those nodes within 10 s', async () => {
    await installLightSensor();
    const label = await gpioFleet(['label', '--auto']);
    expect(label.code, label.stderr).toBe(0);
    expect(label.stdout.trim().split('\n').sort()).toEqual(PI_NODES.map((n) => `node/${n} labelled device=raspberry`));
    const labelled = (await core().listNode({ labelSelector: 'device=raspberry' })).items.map((n) => n.metadata!.name!).sort();
    expect(labelled).toEqual(PI_NODES);
    const t0 = Date.now();
    await waitFor('Running pods on exactly the Pi nodes', async () => {
      const nodes = await nodesWithReadyPods(ns.name);
      return JSON.stringify(nodes) === JSON.stringify(PI_NODES) ? nodes : undefined;
    }, 10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // Idempotent: a second run changes nothing.
    const again = await gpioFleet(['label', '--auto']);
    expect(again.stdout.trim().split('\n').sort()).toEqual(PI_NODES.map((n) => `node/${n} unchanged (device=raspberry)`));
  });
});

describe('scenario 3: a new Pi joins, a label goes', () => {
  it('a labelled new node gets a pod; an unlabelled node loses its pod', async () => {
    await installLightSensor();
    expect((await gpioFleet(['label', '--auto'])).code).toBe(0);
    await waitFor('pods on the Pis', async () => ((await nodesWithReadyPods(ns.name)).length === PI_NODES.length ? true : undefined), 10_000);

    const newPi: FakeNode = { name: `pi3-${suffix()}`, arch: 'arm', kernelVersion: '6.6.31+rpt-rpi-v7', osImage: 'Raspbian GNU/Linux 12 (bookworm)', pi: true };
    extraNodes.push(newPi.name);
    await registerNodes(kubeconfig(), [newPi]);
    const label = await gpioFleet(['label', newPi.name]);
    expect(label.stdout.trim()).toBe(`node/${newPi.name} labelled device=raspberry`);
    await waitFor(`a Running pod on ${newPi.name}`, async () => ((await nodesWithReadyPods(ns.name)).includes(newPi.name) ? true : undefined), 10_000);

    const gone = PI_NODES[0]!;
    const remove = await gpioFleet(['label', gone, '--remove']);
    expect(remove.stdout.trim()).toBe(`node/${gone} label device removed (was raspberry)`);
    const after = await waitFor(`the pod on ${gone} to go away`, async () => {
      const nodes = (await podsIn(ns.name)).map((p) => p.spec?.nodeName);
      return nodes.includes(gone) ? undefined : nodes;
    }, 15_000);
    expect([...after].sort()).toEqual([...PI_NODES.filter((n) => n !== gone), newPi.name].sort());
  });
});

describe('scenario 4: helm upgrade --set image.tag', () => {
  it('rolls every pod to the new template, never leaving more than one node without a ready pod', async () => {
    expect((await gpioFleet(['label', '--auto'])).code).toBe(0);
    await installLightSensor(['--set', 'image.tag=0.1.0']);
    await waitFor('all Pi pods ready', async () => ((await nodesWithReadyPods(ns.name)).length === PI_NODES.length ? true : undefined), 10_000);

    // Watch every pod event during the rollout and track, per node, whether a ready pod exists.
    const pods = new Map<string, V1Pod>();
    for (const p of await podsIn(ns.name)) pods.set(p.metadata!.uid!, p);
    let worst = 0;
    let events = 0;
    const nodesWithoutReadyPod = () => {
      const ready = new Set([...pods.values()].filter((p) => isReady(p) && !p.metadata?.deletionTimestamp).map((p) => p.spec?.nodeName));
      return PI_NODES.filter((n) => !ready.has(n)).length;
    };
    const watch = await new Watch(kubeConfig()).watch(
      `/api/v1/namespaces/${ns.name}/pods`,
      { labelSelector: LS },
      (type: string, p: V1Pod) => {
        events++;
        if (type === 'DELETED') pods.delete(p.metadata!.uid!);
        else pods.set(p.metadata!.uid!, p);
        worst = Math.max(worst, nodesWithoutReadyPod());
      },
      () => undefined,
    );
    try {
      await helm(['upgrade', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--reuse-values', '--set', 'image.tag=0.2.0']);
      const status = await waitFor('the rollout to complete (gpio-fleet status exits 0)', async () => {
        const r = await gpioFleet(['status', 'light-sensor', '--namespace', ns.name, '--output', 'json']);
        return r.code === 0 ? r : undefined;
      }, 90_000, 500);
      const [app] = JSON.parse(status.stdout) as { desired: number; updated: number; image: string; pods: { node: string; image: string; updated: boolean }[] }[];
      expect(app!.desired).toBe(PI_NODES.length);
      expect(app!.updated).toBe(PI_NODES.length);
      expect(app!.image).toMatch(/:0\.2\.0$/);
      expect(app!.pods.map((p) => p.node)).toEqual(PI_NODES);
      expect(app!.pods.every((p) => p.updated && p.image.endsWith(':0.2.0'))).toBe(true);
    } finally {
      watch.abort();
    }
    // The watch saw the rollout happen: old pods deleted, new ones created and made ready.
    expect(events).toBeGreaterThanOrEqual(PI_NODES.length * 3);
    expect(worst).toBe(1);
    const final = await podsIn(ns.name);
    expect(final.every((p) => p.spec?.containers[0]?.image?.endsWith(':0.2.0'))).toBe(true);
  });
});
