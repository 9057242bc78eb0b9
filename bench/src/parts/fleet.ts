// Part 6: the fleet, on the project's real control plane (tests/cluster: kube-apiserver,
// controller-manager, scheduler and etcd built from their Go modules, kwok playing the
// kubelets of a fake Raspberry Pi fleet) with the real light-sensor chart and helm. It times
// the study's two fleet operations at 1, 50 and 200 Pis:
//   - `gpio-fleet label <nodes>` (what `kubectl label node` did in 2019) until every labelled
//     Pi runs a Ready light-sensor pod;
//   - `helm upgrade --set image.tag=...` (the study's `kubectl set image`) until the rollout
//     is complete on all 200 (RollingUpdate, maxUnavailable 1, as the chart sets it).
// kwok fakes the kubelets, so these are control-plane times (scheduling, controllers, API),
// not image pulls or container starts on a Pi.
//
// It only runs when the control-plane binaries and helm are already built (building
// Kubernetes takes far longer than the benchmark's budget); otherwise it reports "pending".
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { FakeNode } from '@gpio-fleet/cluster-tests';
import { start, waitFor } from '@gpio-fleet/test-tools/processes';
import { helmPath, KUBERNETES, kubernetesBinDir, kwokBinDir } from '@gpio-fleet/test-tools/provision';
import { REPO, type Log } from '../lib/prerequisites.js';

const NAMESPACE = 'bench';
const SELECTOR = 'app.kubernetes.io/name=light-sensor';

/** Fake Pis for the benchmark, beyond tests/cluster's small FLEET. */
function benchPis(count: number): FakeNode[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `pi-bench-${String(i).padStart(3, '0')}`,
    arch: i % 2 === 0 ? 'arm64' : 'arm',
    kernelVersion: i % 2 === 0 ? '6.6.31+rpt-rpi-v8' : '6.6.31+rpt-rpi-v7',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    pi: true,
  }));
}

const isReady = (p: V1Pod) => p.status?.phase === 'Running' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

async function run(command: string, args: string[]): Promise<string> {
  const p = start(command, args);
  const { code } = await p.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${p.stderr()}${p.stdout()}`);
  return p.stdout();
}

export interface LabelTiming {
  nodes: number;
  cliSeconds: number;
  firstReadySeconds: number | undefined;
  allReadySeconds: number;
}

export type FleetResult =
  | { status: 'pending'; reason: string }
  | {
      status: 'measured';
      nodes: number;
      controlPlaneStartSeconds: number;
      label: LabelTiming[];
      rollout: { nodes: number; helmSeconds: number; seconds: number; perNodeSeconds: number; fewestReady: number };
      cliStatusSeconds: number;
      note: string;
    };

export async function measureFleet({ sizes, log }: { sizes: number[]; log: Log }): Promise<FleetResult> {
  const cli = join(REPO, 'apps', 'gpio-fleet', 'dist', 'cli.js');
  if (!existsSync(cli)) return { status: 'pending', reason: 'apps/gpio-fleet is not built (npm run build)' };
  const missing = [...KUBERNETES.binaries.map((b) => join(kubernetesBinDir(), b)), join(kwokBinDir(), 'kwok'), helmPath()].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    return { status: 'pending', reason: `not built yet (run the cluster tests or npm run cluster:up once): ${missing.join(', ')}` };
  }
  // Loaded only now: the Kubernetes client is a large import that the other parts do not need.
  const cluster = await import('@gpio-fleet/cluster-tests');
  const { CoreV1Api, AppsV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const helm = helmPath();
  const largest = Math.max(...sizes);

  log(`part 6: starting the control plane (tests/cluster) with ${largest} kwok Pis`);
  const t0 = performance.now();
  const pis = benchPis(largest);
  const cp = await cluster.startFleetCluster({
    dir: mkdtempSync(join(tmpdir(), 'gpio-fleet-bench-cluster-')),
    binaries: cluster.ensureControlPlaneBinaries(log),
    log: (m) => log(`  ${m}`),
    nodes: [...cluster.FLEET, ...pis],
    registerTimeoutMs: 300_000,
  });
  try {
    const startSeconds = (performance.now() - t0) / 1000;
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const kubeconfigArgs = ['--kubeconfig', cp.kubeconfig];
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await run(helm, ['install', 'light-sensor', join(REPO, 'charts', 'light-sensor'), '--namespace', NAMESPACE, '--set', 'gpio.access=none', ...kubeconfigArgs]);
    const readyPods = async () => (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: SELECTOR })).items.filter((p) => !p.metadata?.deletionTimestamp && isReady(p));
    const anyPods = async () => (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: SELECTOR })).items.length;

    const label: LabelTiming[] = [];
    let labelled: string[] = [];
    for (const size of sizes) {
      // Each size starts from a fleet with no labelled Pi and no pod.
      if (labelled.length > 0) {
        await run(process.execPath, [cli, 'label', ...labelled, '--remove', ...kubeconfigArgs]);
        await waitFor('every pod to go', async () => ((await anyPods()) === 0 ? true : undefined), 300_000, 100);
      }
      const targets = pis.slice(0, size).map((n) => n.name);
      log(`part 6: gpio-fleet label on ${size} Pi(s)`);
      const t = performance.now();
      await run(process.execPath, [cli, 'label', ...targets, ...kubeconfigArgs]);
      const cliSeconds = (performance.now() - t) / 1000;
      let firstReady: number | undefined;
      await waitFor(`a Ready light-sensor pod on ${size} Pi(s)`, async () => {
        const on = new Set((await readyPods()).map((p) => p.spec?.nodeName));
        if (on.size > 0 && firstReady === undefined) firstReady = (performance.now() - t) / 1000;
        return targets.every((n) => on.has(n)) ? true : undefined;
      }, 600_000, 50);
      label.push({ nodes: size, cliSeconds, firstReadySeconds: firstReady, allReadySeconds: (performance.now() - t) / 1000 });
      labelled = targets;
    }

    log(`part 6: helm upgrade --set image.tag=bench-update across ${labelled.length} Pis (maxUnavailable 1)`);
    const [ds] = (await apps.listNamespacedDaemonSet({ namespace: NAMESPACE, labelSelector: SELECTOR })).items;
    const name = ds?.metadata?.name;
    if (!name) throw new Error('the light-sensor chart created no DaemonSet');
    let fewestReady = labelled.length;
    const tUpgrade = performance.now();
    await run(helm, ['upgrade', 'light-sensor', join(REPO, 'charts', 'light-sensor'), '--namespace', NAMESPACE, '--reuse-values', '--set', 'image.tag=bench-update', ...kubeconfigArgs]);
    const helmSeconds = (performance.now() - tUpgrade) / 1000;
    await waitFor('the rollout to finish on every Pi', async () => {
      const d = await apps.readNamespacedDaemonSet({ name, namespace: NAMESPACE });
      const st = d.status;
      fewestReady = Math.min(fewestReady, st?.numberReady ?? 0);
      const done = (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && st?.updatedNumberScheduled === labelled.length && st?.numberAvailable === labelled.length && st?.numberReady === labelled.length;
      if (!done) return undefined;
      const pods = await readyPods();
      return pods.length === labelled.length && pods.every((p) => p.spec?.containers[0]?.image?.endsWith(':bench-update')) ? true : undefined;
    }, 900_000, 100);
    const rolloutSeconds = (performance.now() - tUpgrade) / 1000;

    const tCli = performance.now();
    await run(process.execPath, [cli, 'status', 'light-sensor', '--namespace', NAMESPACE, ...kubeconfigArgs]);
    const cliStatusSeconds = (performance.now() - tCli) / 1000;
    return {
      status: 'measured',
      nodes: cluster.FLEET.length + pis.length,
      controlPlaneStartSeconds: startSeconds,
      label,
      rollout: { nodes: labelled.length, helmSeconds, seconds: rolloutSeconds, perNodeSeconds: rolloutSeconds / labelled.length, fewestReady },
      cliStatusSeconds,
      note: 'kwok plays the kubelets: control-plane times only (no image pull, no container start).',
    };
  } finally {
    await cp.stop();
  }
}
