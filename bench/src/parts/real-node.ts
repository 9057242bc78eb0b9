// Part 7: a real node. Part 6 times the control plane with kwok playing the kubelets; here a
// real kubelet with containerd and runc (tests/cluster's real-0) pulls the light-sensor image
// from a real registry on this machine and runs it. Three timings, each repeated:
//   - cold: `gpio-fleet label real-0` until the pod is Ready, the image not on the node (the
//     first pull: runtime and app layer);
//   - warm: the same after the pod was deleted (label removed, pod gone), the image cached;
//   - update: `helm upgrade --set image.tag=<other>` until the rollout is complete on real-0,
//     the other tag's image not on the node, with the bytes the node fetched (registry log).
// The two tags are the image as built and one rebuilt after a code-only change; the upgrades
// alternate between them, each time after removing the target image from the node.
//
// It only runs when the control-plane and node binaries are already built (far longer than the
// benchmark's budget the first time: the cluster tests and tests/node build them); otherwise
// it reports "pending".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { writeCodeOnlyChange } from '@gpio-fleet/ship';
import { waitFor } from '@gpio-fleet/test-tools/processes';
import { CONTAINERD, helmPath, KUBELET, KUBERNETES, kubernetesBinDir, kwokBinDir, REGISTRY, RUNC, toolBinDir } from '@gpio-fleet/test-tools/provision';
import { DIST, REPO, type Log } from '../lib/prerequisites.js';
import { median } from '../lib/stats.js';

const NAMESPACE = 'bench-real-node';
const SELECTOR = 'app.kubernetes.io/name=light-sensor';

export interface RealNodeTrial {
  coldSeconds: number;
  coldBytes: number;
  warmSeconds: number;
  warmBytes: number;
  upgradeSeconds: number;
  upgradeBytes: number;
  /** The tag the upgrade rolled out. */
  upgradeTag: string;
}

export type RealNodeResult =
  | { status: 'pending'; reason: string }
  | {
      status: 'measured';
      trials: RealNodeTrial[];
      medians: { coldSeconds: number; coldBytes: number; warmSeconds: number; upgradeSeconds: number; upgradeBytes: number };
      nodeStartSeconds: number;
      rebuildSeconds: number;
      versions: { kubelet: string; containerd: string; runc: string; registry: string };
      note: string;
    };

const isReady = (p: V1Pod) => p.status?.phase === 'Running' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

function run(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The binaries the part needs, or what is missing. */
function missingBinaries(): string[] {
  const needed = [
    ...KUBERNETES.binaries.map((b) => join(kubernetesBinDir(), b)),
    join(kwokBinDir(), 'kwok'),
    helmPath(),
    ...[KUBELET, CONTAINERD, RUNC, REGISTRY].flatMap((spec) => spec.binaries.map((b) => join(toolBinDir(spec.name, spec.version), b))),
  ];
  return needed.filter((f) => !existsSync(f));
}

export async function measureRealNode({ trials, log }: { trials: number; log: Log }): Promise<RealNodeResult> {
  const cli = join(REPO, 'apps', 'gpio-fleet', 'dist', 'cli.js');
  if (!existsSync(cli)) return { status: 'pending', reason: 'apps/gpio-fleet is not built (npm run build)' };
  const missing = missingBinaries();
  if (missing.length > 0) return { status: 'pending', reason: `not built yet (run the tests/node suite or npm run cluster:up -- --real-node once): ${missing.join(', ')}` };
  if (process.getuid?.() !== 0) return { status: 'pending', reason: 'a real node needs root (network bridge, mounts, cgroups)' };

  // Loaded only now: the Kubernetes client and the node are large imports the other parts do not need.
  const cluster = await import('@gpio-fleet/cluster-tests');
  const { CoreV1Api, AppsV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const helm = helmPath();
  const binaries = cluster.ensureNodeBinaries(log);
  const pause = cluster.ensurePauseImage(log);

  log('part 7: starting the control plane and the real node real-0');
  const cp = await cluster.startFleetCluster({ dir: mkdtempSync(join(tmpdir(), 'gpio-fleet-bench-real-node-')), binaries: cluster.ensureControlPlaneBinaries(log), log: (m) => log(`  ${m}`) });
  let node: Awaited<ReturnType<typeof cluster.startRealNode>> | undefined;
  try {
    const t0 = performance.now();
    node = await cluster.startRealNode({ controlPlane: cp, binaries, pause, log: (m) => log(`  ${m}`) });
    const nodeStartSeconds = (performance.now() - t0) / 1000;
    const registry = node.registry;
    const repository = `${registry}/light-sensor`;
    const socket = cluster.containerdPaths(node.runDir).socket;
    const [pushed] = (await cluster.pushAppImages({ skopeo: binaries.skopeo, registry, imagesDir: join(DIST, 'images'), log: (m) => log(`  ${m}`) })).filter((p) => p.app === 'light-sensor');
    if (!pushed) throw new Error('no light-sensor image in dist/images');

    // The second tag: the same image after a code-only change (amd64, real-0's platform).
    const scratch = node.scratchDir('bench-update');
    mkdirSync(scratch, { recursive: true });
    const changedTag = `${pushed.tag}-bench-update`;
    const tRebuild = performance.now();
    log('part 7: rebuilding the light-sensor image (amd64) after a code-only change');
    execFileSync(process.execPath, [join(REPO, 'packages', 'ship', 'dist', 'images', 'cli.js'), '--app', 'light-sensor', '--arch', 'x64', '--dist', join(scratch, 'dist'), '--entry', `light-sensor=${writeCodeOnlyChange('light-sensor', scratch, changedTag)}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const rebuildSeconds = (performance.now() - tRebuild) / 1000;
    const changedLayout = join(scratch, 'dist', 'images', 'light-sensor');
    cluster.pushImage(binaries.skopeo, { layout: changedLayout, layoutRef: cluster.layoutRef(changedLayout), registry, repository: 'light-sensor', tag: changedTag });
    rmSync(join(scratch, 'dist'), { recursive: true, force: true });

    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const appsApi = kc.makeApiClient(AppsV1Api);
    const kubeconfigArgs = ['--kubeconfig', cp.kubeconfig];
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    run(helm, ['install', 'light-sensor', join(REPO, 'charts', 'light-sensor'), '--namespace', NAMESPACE, '--set', 'gpio.access=none', '--set', `image.repository=${repository}`, ...kubeconfigArgs]);
    const pods = async () => (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: SELECTOR })).items;
    const readyPod = (tag: string) => waitFor(`a Ready light-sensor pod running ${tag}`, async () => (await pods()).find((p) => !p.metadata?.deletionTimestamp && isReady(p) && p.spec?.containers[0]?.image === `${repository}:${tag}`), 300_000, 50);
    const noPods = () => waitFor('the light-sensor pod to be gone', async () => ((await pods()).length === 0 ? true : undefined), 120_000, 50);
    const gpioFleet = (...args: string[]) => run(process.execPath, [cli, ...args, ...kubeconfigArgs]);
    const fetched = async <T>(fn: () => Promise<T>): Promise<{ seconds: number; bytes: number }> => {
      const mark = node!.registryLog.mark();
      const t = performance.now();
      await fn();
      const seconds = (performance.now() - t) / 1000;
      return { seconds, bytes: cluster.bytesFetched(node!.registryLog.since(mark).filter((f) => f.repository === 'light-sensor')) };
    };

    const results: RealNodeTrial[] = [];
    let current = pushed.tag;
    for (let i = 0; i < trials; i++) {
      log(`part 7: trial ${i + 1}/${trials}: cold label, warm label, helm upgrade`);
      // Cold: no light-sensor image on the node at all.
      cluster.removeImages(binaries.ctr, socket, repository);
      const cold = await fetched(async () => {
        gpioFleet('label', 'real-0');
        await readyPod(current);
      });
      gpioFleet('label', 'real-0', '--remove');
      await noPods();
      // Warm: the pod was deleted, its image stayed.
      const warm = await fetched(async () => {
        gpioFleet('label', 'real-0');
        await readyPod(current);
      });
      // Update: to the other tag, whose image the node does not have.
      const next = current === pushed.tag ? changedTag : pushed.tag;
      cluster.removeImages(binaries.ctr, socket, `${repository}:${next}`);
      const upgrade = await fetched(async () => {
        run(helm, ['upgrade', 'light-sensor', join(REPO, 'charts', 'light-sensor'), '--namespace', NAMESPACE, '--reuse-values', '--set', `image.tag=${next}`, ...kubeconfigArgs]);
        await readyPod(next);
        await waitFor('the rollout to complete', async () => {
          const d = await appsApi.readNamespacedDaemonSet({ name: 'light-sensor', namespace: NAMESPACE });
          const s = d.status;
          return (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s?.updatedNumberScheduled === 1 && s.numberAvailable === 1 ? true : undefined;
        }, 300_000, 50);
      });
      current = next;
      results.push({ coldSeconds: cold.seconds, coldBytes: cold.bytes, warmSeconds: warm.seconds, warmBytes: warm.bytes, upgradeSeconds: upgrade.seconds, upgradeBytes: upgrade.bytes, upgradeTag: next });
      log(`part 7: cold ${cold.seconds.toFixed(1)} s (${cold.bytes} B), warm ${warm.seconds.toFixed(1)} s (${warm.bytes} B), upgrade ${upgrade.seconds.toFixed(1)} s (${upgrade.bytes} B)`);
      gpioFleet('label', 'real-0', '--remove');
      await noPods();
    }
    const m = (f: (t: RealNodeTrial) => number) => median(results.map(f));
    const nodeInfo = (await core.readNode({ name: 'real-0' })).status?.nodeInfo;
    return {
      status: 'measured',
      trials: results,
      medians: { coldSeconds: m((t) => t.coldSeconds), coldBytes: m((t) => t.coldBytes), warmSeconds: m((t) => t.warmSeconds), upgradeSeconds: m((t) => t.upgradeSeconds), upgradeBytes: m((t) => t.upgradeBytes) },
      nodeStartSeconds,
      rebuildSeconds,
      versions: { kubelet: nodeInfo?.kubeletVersion ?? KUBELET.version, containerd: nodeInfo?.containerRuntimeVersion ?? CONTAINERD.version, runc: RUNC.version, registry: REGISTRY.version },
      note: 'Times include the gpio-fleet CLI process (label) or helm (upgrade), the kubelet\'s sync, the pull, the container start and the readiness probe (period 5 s in the chart), which decides much of the spread.',
    };
  } finally {
    await node?.stop().catch((e: unknown) => log(`part 7: stopping the real node: ${String(e)}`));
    await cp.stop();
  }
}
