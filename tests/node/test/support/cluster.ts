// What the real-node scenarios share: API clients for the run's control plane, helm and the
// gpio-fleet CLI as real processes, fresh Pod Security "restricted" namespaces, the apps
// installed from the node's registry, pods on real-0, their logs through the API server (which
// asks the kubelet), and the runtime's view of a container.
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { applyYamlFile as applyObjects, containerSpec, deleteObjects as deleteApplied, REAL_NODE_NAME, taskPid, type OciSpec } from '@gpio-fleet/cluster-tests';
import { jsonLines, start, waitFor } from '@gpio-fleet/test-tools/processes';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export { waitFor };
export const NODE = REAL_NODE_NAME;
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const chartDir = (app: string) => join(repoRoot, 'charts', app);
export const gpioFleetCli = join(repoRoot, 'apps', 'gpio-fleet', 'dist', 'cli.js');

/** Pod Security "restricted", enforced: what the charts' default modes must pass. */
export const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };

export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfig'));
  return kc;
}

export const core = () => kubeConfig().makeApiClient(CoreV1Api);
export const apps = () => kubeConfig().makeApiClient(AppsV1Api);
export const authorization = () => kubeConfig().makeApiClient(AuthorizationV1Api);

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const p = start(command, [...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** The real helm against the run's cluster; throws with helm's output when it fails. */
export async function helm(args: readonly string[]): Promise<string> {
  const r = await run(inject('helm'), [...args, '--kubeconfig', inject('kubeconfig')]);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The built gpio-fleet CLI, as a user runs it from outside the cluster. */
export function gpioFleet(args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [gpioFleetCli, ...args, '--kubeconfig', inject('kubeconfig')], { KUBECONFIG: '', HOME: '/nonexistent' });
}

export const suffix = () => randomBytes(3).toString('hex');

/** The app's image in the node's registry, as pushed by the global setup. */
export const imageRepository = (app: string) => `${inject('registry')}/${app}`;

export interface Namespace {
  name: string;
  /** Deletes it and waits until it is gone (the real kubelet stops its pods first). */
  remove(): Promise<void>;
}

export async function freshNamespace(prefix: string, labels: Record<string, string> = RESTRICTED): Promise<Namespace> {
  const name = `${prefix}-${suffix()}`;
  await core().createNamespace({ body: { metadata: { name, labels } } });
  return { name, remove: () => deleteNamespace(name) };
}

export async function deleteNamespace(name: string): Promise<void> {
  const c = core();
  await c.deleteNamespace({ name }).catch(() => undefined);
  await waitFor(`namespace ${name} to be gone`, async () => ((await c.readNamespace({ name }).then(() => true).catch(() => false)) ? undefined : true), 120_000, 250);
}

/** Removes real-0's device label (through the API): each scenario starts with it unlabelled. */
export async function unlabelNode(name = NODE): Promise<void> {
  await core().patchNode({ name, body: { metadata: { labels: { device: null } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** `gpio-fleet label real-0`, as a user labels a Pi; throws unless it exits 0. */
export async function labelNode(name = NODE): Promise<void> {
  const r = await gpioFleet(['label', name]);
  if (r.code !== 0) throw new Error(`gpio-fleet label ${name} exited ${r.code}: ${r.stderr}`);
}

/** helm install of one chart in mock mode, its image from the node's registry. */
export async function installApp(namespace: string, app: string, sets: readonly string[] = []): Promise<void> {
  await helm(['install', app, chartDir(app), '--namespace', namespace, '--set', 'gpio.access=none', '--set', `image.repository=${imageRepository(app)}`, ...sets.flatMap((s) => ['--set', s])]);
}

export const isReady = (p: V1Pod) => p.status?.phase === 'Running' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** The app's pods on real-0 that are not being deleted. */
export async function appPods(namespace: string, app: string): Promise<V1Pod[]> {
  const pods = await core().listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${app}`, fieldSelector: `spec.nodeName=${NODE}` });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** Waits for the app's Ready pod on real-0 (a first pull and a readiness period take seconds). */
export function readyPod(namespace: string, app: string, timeoutMs = 180_000, other?: string): Promise<V1Pod> {
  return waitFor(`a Ready ${app} pod on ${NODE} in ${namespace}`, async () => (await appPods(namespace, app)).find((p) => isReady(p) && p.metadata?.name !== other), timeoutMs, 200);
}

export const podName = (p: V1Pod) => p.metadata!.name!;
export const containerId = (p: V1Pod) => {
  const id = p.status?.containerStatuses?.[0]?.containerID;
  if (!id) throw new Error(`pod ${podName(p)} has no running container`);
  return id;
};

/** What containerd handed runc for the pod's container, and the container's process on this machine. */
export function runtimeView(p: V1Pod): { spec: OciSpec; pid: number } {
  const [ctr, socket] = [inject('ctr'), inject('containerdSocket')];
  const id = containerId(p).replace(/^containerd:\/\//, '');
  return { spec: containerSpec(ctr, socket, id), pid: taskPid(ctr, socket, id) };
}

/** The container's log, read through the API server (which asks the kubelet). */
export async function podLog(namespace: string, name: string, previous = false): Promise<string> {
  return core().readNamespacedPodLog({ name, namespace, previous });
}

export interface FollowedLog {
  text(): string;
  /** Resolves when the server ends the stream: the container has stopped. */
  ended: Promise<void>;
  abort(): void;
}

/** `kubectl logs -f`: the container's log as it is written, through the API server and the kubelet. */
export async function followLog(namespace: string, name: string): Promise<FollowedLog> {
  const kc = kubeConfig();
  const url = new URL(`${kc.getCurrentCluster()!.server}/api/v1/namespaces/${namespace}/pods/${name}/log?follow=true`);
  const options: import('node:https').RequestOptions = { method: 'GET' };
  await kc.applyToHTTPSOptions(options);
  let text = '';
  let abort = () => undefined as void;
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(url, options, (res) => {
      if (res.statusCode !== 200) reject(new Error(`log of ${namespace}/${name}: HTTP ${res.statusCode}`));
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
    abort = () => req.destroy();
  });
  // Once the stream is open, the log is being followed.
  await waitFor(`the log of ${namespace}/${name} to stream`, () => (text.length > 0 ? true : undefined), 30_000, 50);
  return { text: () => text, ended, abort };
}

/** Every state the pod passed through (a watch from now until stop()). */
export async function watchPod(namespace: string, name: string): Promise<{ seen: V1Pod[]; stop(): void }> {
  const seen: V1Pod[] = [];
  const controller = await new Watch(kubeConfig()).watch(
    `/api/v1/namespaces/${namespace}/pods`,
    { fieldSelector: `metadata.name=${name}` },
    (_type, obj: V1Pod) => seen.push(obj),
    () => undefined,
  );
  return { seen, stop: () => controller.abort() };
}

/** The JSON lines of a log (the apps log JSON on stderr, which the runtime keeps with stdout). */
export const jsonRecords = jsonLines;

/** Applies every object of a multi-document YAML file to the node's cluster. */
export const applyYamlFile = (file: string): Promise<KubernetesObject[]> => applyObjects(kubeConfig(), file, 'gpio-fleet-node-tests');
export const deleteObjects = (objects: readonly KubernetesObject[]): Promise<void> => deleteApplied(kubeConfig(), objects);
