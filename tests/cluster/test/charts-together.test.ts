// Pod Security admission, both charts on one fleet, uninstall, and the monitoring objects.
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyYamlFile, apps, chartDir, core, freshNamespace, gpioFleet, helm, kubeConfig, nodesWithReadyPods, PI_NODES, podsIn, unlabelAll, waitFor } from './support/cluster.js';
import { GPIO_RESOURCE } from '../src/fleet.js';
import { monitoringCrdFiles } from './support/monitoring-crds.js';

let ns: { name: string; remove: () => Promise<void> };
const releases: string[] = [];

beforeAll(async () => {
  await unlabelAll();
  expect((await gpioFleet(['label', '--auto'])).code).toBe(0);
});
afterAll(() => unlabelAll());

afterEach(async () => {
  for (const r of releases.splice(0)) await helm(['uninstall', r, '--namespace', ns.name, '--wait']).catch(() => undefined);
  await ns.remove();
});

describe('scenario 5: Pod Security "restricted" namespace', () => {
  beforeEach(async () => {
    ns = await freshNamespace('restricted', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' });
  });

  it('admits the default chart (devicePlugin mode) and its pods schedule on the Pis', async () => {
    releases.push('light-sensor');
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name]);
    const nodes = await waitFor('pods on every Pi', async () => {
      const n = await nodesWithReadyPods(ns.name);
      return n.length === PI_NODES.length ? n : undefined;
    }, 15_000);
    expect(nodes).toEqual(PI_NODES);
    const [pod] = await podsIn(ns.name);
    expect(pod!.spec?.containers[0]?.resources?.limits?.[GPIO_RESOURCE]).toBe('1');
    expect(pod!.spec?.containers[0]?.securityContext?.privileged ?? false).toBe(false);
  });

  it('rejects gpio.access=privileged with the API server\'s Pod Security message', async () => {
    releases.push('light-sensor');
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=privileged']);
    // A DaemonSet is admitted (with a warning); its pods are refused. The DaemonSet controller
    // records the API server's refusal as an event on the DaemonSet.
    const message = await waitFor('the FailedCreate event with the Pod Security refusal', async () => {
      const events = (await core().listNamespacedEvent({ namespace: ns.name })).items;
      return events.find((e) => e.reason === 'FailedCreate' && (e.message ?? '').includes('violates PodSecurity "restricted:latest"'))?.message;
    }, 20_000);
    expect(message).toMatch(/forbidden: violates PodSecurity "restricted:latest"/);
    expect(message).toMatch(/privileged \(container "light-sensor" must not set securityContext\.privileged=true\)/);
    expect(await podsIn(ns.name)).toEqual([]);
    // Creating such a pod directly is refused by the server with the same message.
    const ds = (await apps().listNamespacedDaemonSet({ namespace: ns.name })).items[0]!;
    const err = await core()
      .createNamespacedPod({ namespace: ns.name, body: { metadata: { name: 'direct' }, spec: ds.spec!.template.spec! } })
      .then(() => undefined, (e: unknown) => e as { code: number; body: string });
    expect(err?.code).toBe(403);
    const status = (typeof err?.body === 'string' ? JSON.parse(err.body) : err?.body) as { message: string };
    expect(status.message).toMatch(/^pods "direct" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "light-sensor" must not set securityContext\.privileged=true\)/);
  });
});

describe('scenario 6: both charts on one fleet', () => {
  beforeEach(async () => {
    ns = await freshNamespace('both');
  });

  it('run side by side on every Pi, and helm uninstall leaves nothing behind', async () => {
    releases.push('light-sensor', 'traffic-light');
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none']);
    await helm(['install', 'traffic-light', chartDir('traffic-light'), '--namespace', ns.name, '--set', 'gpio.access=none']);
    for (const app of ['light-sensor', 'traffic-light']) {
      const nodes = await waitFor(`${app} on every Pi`, async () => {
        const n = await nodesWithReadyPods(ns.name, `app.kubernetes.io/name=${app}`);
        return n.length === PI_NODES.length ? n : undefined;
      }, 15_000);
      expect(nodes).toEqual(PI_NODES);
    }
    const table = await gpioFleet(['nodes', '--namespace', ns.name]);
    expect(table.code).toBe(0);
    for (const pi of PI_NODES) expect(table.stdout).toMatch(new RegExp(`^${pi}\\s.*light-sensor,traffic-light`, 'm'));

    for (const r of releases.splice(0)) await helm(['uninstall', r, '--namespace', ns.name, '--wait']);
    await waitFor('every object of both releases to go', async () => {
      const [pods, sets, svcs, cms, secrets] = await Promise.all([
        podsIn(ns.name, ''),
        apps().listNamespacedDaemonSet({ namespace: ns.name }),
        core().listNamespacedService({ namespace: ns.name }),
        core().listNamespacedConfigMap({ namespace: ns.name }),
        core().listNamespacedSecret({ namespace: ns.name }),
      ]);
      const left = [
        ...pods.map((p) => `pod/${p.metadata?.name}`),
        ...sets.items.map((d) => `daemonset/${d.metadata?.name}`),
        ...svcs.items.map((s) => `service/${s.metadata?.name}`),
        // kube-root-ca.crt is the namespace's own, published by the controller manager.
        ...cms.items.filter((c) => c.metadata?.name !== 'kube-root-ca.crt').map((c) => `configmap/${c.metadata?.name}`),
        // helm's release records are Secrets: none may remain.
        ...secrets.items.map((s) => `secret/${s.metadata?.name}`),
      ];
      return left.length === 0 ? true : undefined;
    }, 30_000, 250);
  });
});

describe('scenario 7: ServiceMonitor and PodMonitor', () => {
  beforeAll(async () => {
    for (const f of monitoringCrdFiles()) await applyYamlFile(f);
    const ext = kubeConfig().makeApiClient(ApiextensionsV1Api);
    for (const name of ['servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com']) {
      await waitFor(`CRD ${name} established`, async () => {
        const crd = await ext.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      });
    }
  });

  beforeEach(async () => {
    ns = await freshNamespace('monitoring');
  });

  it('the server accepts both charts\' monitors', async () => {
    releases.push('light-sensor', 'traffic-light');
    for (const app of ['light-sensor', 'traffic-light']) {
      await helm(['install', app, chartDir(app), '--namespace', ns.name, '--set', 'gpio.access=none', '--set', 'serviceMonitor.enabled=true', '--set', 'podMonitor.enabled=true']);
    }
    const custom = kubeConfig().makeApiClient(CustomObjectsApi);
    const list = async (plural: string) =>
      ((await custom.listNamespacedCustomObject({ group: 'monitoring.coreos.com', version: 'v1', namespace: ns.name, plural })) as { items: { metadata: { name: string; labels?: Record<string, string> }; spec: { selector?: unknown; endpoints?: unknown[]; podMetricsEndpoints?: unknown[] } }[] }).items;
    const sms = await list('servicemonitors');
    const pms = await list('podmonitors');
    expect(sms.map((s) => s.metadata.labels?.['app.kubernetes.io/name']).sort()).toEqual(['light-sensor', 'traffic-light']);
    expect(pms.map((s) => s.metadata.labels?.['app.kubernetes.io/name']).sort()).toEqual(['light-sensor', 'traffic-light']);
    for (const s of sms) expect(s.spec.endpoints?.length).toBeGreaterThan(0);
    for (const p of pms) expect(p.spec.podMetricsEndpoints?.length).toBeGreaterThan(0);
    // The ServiceMonitor's Service exists too.
    expect((await core().listNamespacedService({ namespace: ns.name })).items.length).toBe(2);
  });
});
