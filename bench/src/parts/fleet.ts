// Part 6: the fleet, on the project's real control plane (tests/cluster: kube-apiserver,
// controller-manager, scheduler and etcd built from their Go modules, kwok playing the
// kubelets of a fake Raspberry Pi fleet) with the real light-sensor chart and helm:
//   - label -> Ready for one Pi, over many trials, split into where the time goes (the CLI
//     process, the DaemonSet controller making the pod, the scheduler binding it, kwok);
//   - `gpio-fleet label <nodes>` (what `kubectl label node` did in 2019) at 1, 50 and 200 Pis
//     until every labelled Pi runs a Ready light-sensor pod;
//   - `helm upgrade --set image.tag=...` (the study's `kubectl set image`) until the rollout is
//     complete on all 200 (RollingUpdate, maxUnavailable 1, as the chart sets it);
//   - the CLI at 200 and at 1000 Pis: nodes, status, readings, doctor and label --auto, wall
//     time and peak RSS of the process, medians of 3.
// kwok fakes the kubelets, so these are control-plane times (scheduling, controllers, API),
// not image pulls or container starts on a Pi. The pods' IPs answer: one real light-sensor
// (mock backend) in a network namespace that holds the whole pod range
// (tests/cluster/src/fleet-network.ts), so readings and doctor read real /metrics through the
// API server's pod proxy, a thousand times over.
//
// It only runs when the control-plane binaries and helm are already built (building
// Kubernetes takes far longer than the benchmark's budget); otherwise it reports "pending".
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { FakeNode, FleetPodNetwork } from '@gpio-fleet/cluster-tests';
import { startTimed } from '@gpio-fleet/test-tools/process-accounting';
import { start, waitFor } from '@gpio-fleet/test-tools/processes';
import { helmPath, KUBERNETES, kubernetesBinDir, kwokBinDir } from '@gpio-fleet/test-tools/provision';
import { REPO, type Log } from '../lib/prerequisites.js';
import { max, median, percentile } from '../lib/stats.js';

const NAMESPACE = 'bench';
const SELECTOR = 'app.kubernetes.io/name=light-sensor';

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

/** One Pi labelled: seconds from the start of `gpio-fleet label` to each step, as a watch saw it. */
export interface LabelReadyTrial {
  node: string;
  /** The CLI process, start to exit. */
  cliSeconds: number;
  /** The node's new label arrives on a watch. */
  labelSeenSeconds: number;
  /** The DaemonSet controller's pod arrives. */
  podCreatedSeconds: number;
  /** The scheduler has bound it to the node. */
  podBoundSeconds: number;
  /** kwok has reported it Running and Ready. */
  readySeconds: number;
}

export interface LabelReady {
  trials: LabelReadyTrial[];
  medianSeconds: number;
  p90Seconds: number;
  minSeconds: number;
  maxSeconds: number;
  medianCliSeconds: number;
  /** Median of label seen -> Ready: the control plane's share. */
  medianControlPlaneSeconds: number;
}

export interface CommandCost {
  command: string;
  /** Exit codes of the runs (doctor exits 3 for the Pis left unlabelled on purpose). */
  exitCodes: number[];
  wallSeconds: number[];
  maxRssKb: number[];
  medianWallSeconds: number;
  medianMaxRssKb: number;
}

export interface FleetSize {
  /** Pis in the cluster (all labelled, each with a Ready light-sensor pod). */
  pis: number;
  nodes: number;
  /** Registering the Pis added for this size, as kubelets would. */
  registerSeconds: number;
  /** `gpio-fleet label --auto` until every Pi had a Ready pod (the Pis not labelled before). */
  labelAllSeconds: number;
  commands: CommandCost[];
}

export type FleetResult =
  | { status: 'pending'; reason: string }
  | {
      status: 'measured';
      nodes: number;
      controlPlaneStartSeconds: number;
      labelToReady: LabelReady;
      label: LabelTiming[];
      rollout: { nodes: number; helmSeconds: number; seconds: number; perNodeSeconds: number; fewestReady: number };
      cliStatusSeconds: number;
      sizes: FleetSize[];
      note: string;
    };

export interface FleetSettings {
  /** Pis labelled at once for the label -> every pod Ready timings. */
  sizes: number[];
  /** Fleet sizes the CLI is measured at; the last is registered in full. */
  cliSizes: number[];
  labelTrials: number;
  repetitions: number;
  log: Log;
}

/** Peak RSS and wall time of one CLI run, from GNU time. */
async function timedCli(cli: string, args: string[], kubeconfig: string): Promise<{ wallSeconds: number; maxRssKb: number; exitCode: number }> {
  const t = startTimed(process.execPath, [cli, ...args, '--kubeconfig', kubeconfig]);
  const r = await t.result;
  return { wallSeconds: r.elapsedSeconds, maxRssKb: r.maxRssKb, exitCode: r.exitStatus };
}

export async function measureFleet({ sizes, cliSizes, labelTrials, repetitions, log }: FleetSettings): Promise<FleetResult> {
  const cli = join(REPO, 'apps', 'gpio-fleet', 'dist', 'cli.js');
  const sensorCli = join(REPO, 'apps', 'light-sensor', 'dist', 'cli.js');
  for (const [f, what] of [
    [cli, 'apps/gpio-fleet'],
    [sensorCli, 'apps/light-sensor'],
  ] as const) {
    if (!existsSync(f)) return { status: 'pending', reason: `${what} is not built (npm run build)` };
  }
  const missing = [...KUBERNETES.binaries.map((b) => join(kubernetesBinDir(), b)), join(kwokBinDir(), 'kwok'), helmPath()].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    return { status: 'pending', reason: `not built yet (run the cluster tests or npm run cluster:up once): ${missing.join(', ')}` };
  }
  // Loaded only now: the Kubernetes client is a large import that the other parts do not need.
  const cluster = await import('@gpio-fleet/cluster-tests');
  const { CoreV1Api, AppsV1Api, KubeConfig, Watch } = await import('@kubernetes/client-node');
  const helm = helmPath();
  const largest = Math.max(...cliSizes, ...sizes);
  const first = Math.max(...sizes, Math.min(...cliSizes));

  const net: FleetPodNetwork = cluster.createFleetPodNetwork(`bench${process.pid}`.slice(0, 10), 252, 3);
  // One real light-sensor answers for every pod IP of the range.
  const sensor = net.spawn(process.execPath, [sensorCli, '--gpio', 'mock', '--mock-lux', '100', '--host', '0.0.0.0', '--port', '9110', '--log-level', 'warn']);
  const pis: FakeNode[] = cluster.fakePis(largest, 'pi-bench').map((n, i) => ({ ...n, podCIDR: net.podCIDR(i) }));
  try {
    log(`part 6: starting the control plane (tests/cluster) with ${first} kwok Pis`);
    const t0 = performance.now();
    const cp = await cluster.startFleetCluster({
      dir: mkdtempSync(join(tmpdir(), 'gpio-fleet-bench-cluster-')),
      binaries: cluster.ensureControlPlaneBinaries(log),
      log: (m) => log(`  ${m}`),
      // The fake fleet's own Pis get pod IPs that answer too (past the bench Pis' ones).
      nodes: [...cluster.FLEET.map((n, i) => (n.pi ? { ...n, podCIDR: net.podCIDR(largest + i) } : n)), ...pis.slice(0, first)],
      registerTimeoutMs: 600_000,
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
      const listPods = async () => {
        const out: V1Pod[] = [];
        let token: string | undefined;
        do {
          const page = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: SELECTOR, limit: 500, ...(token ? { _continue: token } : {}) });
          out.push(...page.items);
          token = page.metadata?._continue || undefined;
        } while (token);
        return out;
      };
      const readyPods = async () => (await listPods()).filter((p) => !p.metadata?.deletionTimestamp && isReady(p));
      const waitAllReady = (n: number, what: string) =>
        waitFor(what, async () => ((await readyPods()).length >= n ? true : undefined), 900_000, 250);

      // Label -> Ready for one Pi, with a watch on pods and nodes timing each step.
      log(`part 6: label -> Ready for one Pi, ${labelTrials} trials`);
      const podEvents: { at: number; node: string; type: string; bound: boolean; ready: boolean }[] = [];
      const nodeEvents: { at: number; node: string; label: string | undefined }[] = [];
      const watch = new Watch(kc);
      const pinnedNode = (p: V1Pod) => p.spec?.nodeName ?? p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '';
      const podWatch = await watch.watch(`/api/v1/namespaces/${NAMESPACE}/pods`, {}, (type: string, p: V1Pod) => {
        podEvents.push({ at: performance.now(), node: pinnedNode(p), type, bound: Boolean(p.spec?.nodeName), ready: isReady(p) && !p.metadata?.deletionTimestamp });
      }, () => undefined);
      const nodeWatch = await watch.watch('/api/v1/nodes', {}, (_type: string, n: { metadata?: { name?: string; labels?: Record<string, string> } }) => {
        nodeEvents.push({ at: performance.now(), node: n.metadata?.name ?? '', label: n.metadata?.labels?.device });
      }, () => undefined);
      const trials: LabelReadyTrial[] = [];
      try {
        for (let i = 0; i < labelTrials; i++) {
          const node = pis[i]!.name;
          await new Promise((r) => setTimeout(r, 500));
          const start = performance.now();
          await run(process.execPath, [cli, 'label', node, ...kubeconfigArgs]);
          const cliSeconds = (performance.now() - start) / 1000;
          const mine = (f: (e: (typeof podEvents)[number]) => boolean) => podEvents.find((e) => e.node === node && e.at >= start && f(e))?.at;
          const ready = await waitFor(`a Ready pod on ${node}`, () => mine((e) => e.ready), 120_000, 10);
          const at = (x: number | undefined) => ((x ?? NaN) - start) / 1000;
          trials.push({
            node,
            cliSeconds,
            labelSeenSeconds: at(nodeEvents.find((e) => e.node === node && e.label === 'raspberry' && e.at >= start)?.at),
            podCreatedSeconds: at(mine((e) => e.type === 'ADDED')),
            podBoundSeconds: at(mine((e) => e.bound)),
            readySeconds: at(ready),
          });
          log(`  trial ${i + 1}: ${trials.at(-1)!.readySeconds.toFixed(2)} s (CLI ${cliSeconds.toFixed(2)} s)`);
          await run(process.execPath, [cli, 'label', node, '--remove', ...kubeconfigArgs]);
          await waitFor(`the pod on ${node} to go`, () => podEvents.find((e) => e.node === node && e.type === 'DELETED' && e.at >= start), 120_000, 10);
        }
      } finally {
        podWatch.abort();
        nodeWatch.abort();
      }
      const totals = trials.map((t) => t.readySeconds);
      const labelToReady: LabelReady = {
        trials,
        medianSeconds: median(totals),
        p90Seconds: percentile(totals, 90),
        minSeconds: Math.min(...totals),
        maxSeconds: max(totals),
        medianCliSeconds: median(trials.map((t) => t.cliSeconds)),
        medianControlPlaneSeconds: median(trials.map((t) => t.readySeconds - t.labelSeenSeconds)),
      };

      const label: LabelTiming[] = [];
      let labelled: string[] = [];
      for (const size of sizes) {
        // Each size starts from a fleet with no labelled Pi and no pod.
        if (labelled.length > 0) {
          await run(process.execPath, [cli, 'label', ...labelled, '--remove', ...kubeconfigArgs]);
          await waitFor('every pod to go', async () => ((await listPods()).length === 0 ? true : undefined), 300_000, 100);
        }
        const targets = pis.slice(0, size).map((n) => n.name);
        log(`part 6: gpio-fleet label on ${size} Pi(s)`);
        const t = performance.now();
        await run(process.execPath, [cli, 'label', ...targets, ...kubeconfigArgs]);
        const cliSeconds = (performance.now() - t) / 1000;
        let firstReady: number | undefined;
        await waitFor(
          `a Ready light-sensor pod on ${size} Pi(s)`,
          async () => {
            const on = new Set((await readyPods()).map((p) => p.spec?.nodeName));
            if (on.size > 0 && firstReady === undefined) firstReady = (performance.now() - t) / 1000;
            return targets.every((n) => on.has(n)) ? true : undefined;
          },
          600_000,
          50,
        );
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
      await waitFor(
        'the rollout to finish on every Pi',
        async () => {
          const d = await apps.readNamespacedDaemonSet({ name, namespace: NAMESPACE });
          const st = d.status;
          fewestReady = Math.min(fewestReady, st?.numberReady ?? 0);
          const done = (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && st?.updatedNumberScheduled === labelled.length && st?.numberAvailable === labelled.length && st?.numberReady === labelled.length;
          if (!done) return undefined;
          const pods = await readyPods();
          return pods.length === labelled.length && pods.every((p) => p.spec?.containers[0]?.image?.endsWith(':bench-update')) ? true : undefined;
        },
        900_000,
        100,
      );
      const rolloutSeconds = (performance.now() - tUpgrade) / 1000;

      const tCli = performance.now();
      await run(process.execPath, [cli, 'status', 'light-sensor', '--namespace', NAMESPACE, ...kubeconfigArgs]);
      const cliStatusSeconds = (performance.now() - tCli) / 1000;

      // The CLI at each fleet size: every Pi labelled, each with a Ready pod.
      const fleetSizes: FleetSize[] = [];
      let registered = first;
      for (const size of [...cliSizes].sort((a, b) => a - b)) {
        const tRegister = performance.now();
        if (size > registered) {
          log(`part 6: registering ${size - registered} more Pis`);
          await cluster.registerNodes(cp.kubeconfig, pis.slice(registered, size), 600_000);
          registered = size;
        }
        const registerSeconds = (performance.now() - tRegister) / 1000;
        // Every Pi of the cluster, the fake fleet's own three included.
        const allPis = size + cluster.FLEET.filter((n) => n.pi).length;
        log(`part 6: gpio-fleet label --auto until ${allPis} Pis run a Ready pod`);
        const tLabel = performance.now();
        await run(process.execPath, [cli, 'label', '--auto', ...kubeconfigArgs]);
        await waitAllReady(allPis, `a Ready pod on all ${allPis} Pis`);
        const labelAllSeconds = (performance.now() - tLabel) / 1000;
        const commands: CommandCost[] = [];
        const plan: [string, (k: number) => string[]][] = [
          ['nodes', () => ['nodes']],
          ['status', () => ['status']],
          ['readings', () => ['readings']],
          ['doctor', () => ['doctor']],
          // A fresh label key each run, so each run patches every Pi and no pod comes or goes.
          ['label --auto', (k) => ['label', '--auto', '--key', `bench.gpio-fleet.io/run-${size}-${k}`]],
        ];
        for (const [command, args] of plan) {
          const runs = [];
          for (let k = 0; k < repetitions; k++) runs.push(await timedCli(cli, args(k), cp.kubeconfig));
          commands.push({
            command,
            exitCodes: runs.map((r) => r.exitCode),
            wallSeconds: runs.map((r) => r.wallSeconds),
            maxRssKb: runs.map((r) => r.maxRssKb),
            medianWallSeconds: median(runs.map((r) => r.wallSeconds)),
            medianMaxRssKb: median(runs.map((r) => r.maxRssKb)),
          });
          log(`  ${size} Pis: gpio-fleet ${command}: ${commands.at(-1)!.medianWallSeconds.toFixed(2)} s, ${(commands.at(-1)!.medianMaxRssKb / 1024).toFixed(0)} MiB (exit ${runs.map((r) => r.exitCode).join('/')})`);
        }
        fleetSizes.push({ pis: allPis, nodes: size + cluster.FLEET.length, registerSeconds, labelAllSeconds, commands });
      }
      return {
        status: 'measured',
        nodes: cluster.FLEET.length + registered,
        controlPlaneStartSeconds: startSeconds,
        labelToReady,
        label,
        rollout: { nodes: labelled.length, helmSeconds, seconds: rolloutSeconds, perNodeSeconds: rolloutSeconds / labelled.length, fewestReady },
        cliStatusSeconds,
        sizes: fleetSizes,
        note: 'kwok plays the kubelets: control-plane times only (no image pull, no container start).',
      };
    } finally {
      await cp.stop();
    }
  } finally {
    sensor.kill('SIGTERM');
    net.remove();
  }
}
