// What every scenario uses: API clients for the shared control plane, helm and the gpio-fleet
// CLI as real processes, fresh namespaces, and waiting on the cluster without fixed sleeps.
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { applyYamlFile as applyObjects } from '../../src/apply.js';
import { FLEET } from '../../src/fleet.js';
import { writeKubeconfig } from '../../src/kubeconfig.js';
import { issueClientCert, type Pki } from '../../src/pki.js';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const chartDir = (name: string) => join(repoRoot, 'charts', name);
export const gpioFleetCli = join(repoRoot, 'apps', 'gpio-fleet', 'dist', 'cli.js');
export const lightSensorCli = join(repoRoot, 'apps', 'light-sensor', 'dist', 'cli.js');

export const PI_NODES = FLEET.filter((n) => n.pi).map((n) => n.name).sort();
export const ALL_NODES = FLEET.map((n) => n.name).sort();

export function kubeconfig(): string {
  return inject('kubeconfig');
}

export function kubeConfig(path = kubeconfig()): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export const core = () => kubeConfig().makeApiClient(CoreV1Api);
export const apps = () => kubeConfig().makeApiClient(AppsV1Api);

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The real helm, against the test cluster. Throws with helm's output when it fails. */
export async function helm(args: readonly string[]): Promise<string> {
  const r = await run(inject('helm'), [...args, '--kubeconfig', kubeconfig()]);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The built gpio-fleet CLI, as a user runs it. */
export function gpioFleet(args: readonly string[], kc: string | null = kubeconfig()): Promise<RunResult> {
  return run(process.execPath, [gpioFleetCli, ...args, ...(kc ? ['--kubeconfig', kc] : [])], { env: { KUBECONFIG: '', HOME: '/nonexistent' } });
}

export function suffix(): string {
  return randomBytes(3).toString('hex');
}

/** A fresh namespace (with optional labels), deleted by the returned function. */
export async function freshNamespace(prefix: string, labels: Record<string, string> = {}): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `${prefix}-${suffix()}`;
  await core().createNamespace({ body: { metadata: { name, labels } } });
  return {
    name,
    remove: async () => {
      await core().deleteNamespace({ name }).catch(() => undefined);
    },
  };
}

/** Removes the device label from every node: each scenario starts with an unlabelled fleet. */
export async function unlabelAll(key = 'device'): Promise<void> {
  const c = core();
  const nodes = (await c.listNode()).items;
  await Promise.all(
    nodes
      .filter((n) => n.metadata?.labels?.[key] !== undefined)
      .map((n) => c.patchNode({ name: n.metadata!.name!, body: { metadata: { labels: { [key]: null } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))),
  );
}

// Polling without fixed sleeps: the same helper every suite uses.
export { waitFor } from '@gpio-fleet/test-tools';

export async function podsIn(namespace: string, labelSelector = 'app.kubernetes.io/part-of=gpio-fleet'): Promise<V1Pod[]> {
  return (await core().listNamespacedPod({ namespace, labelSelector })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

export const isReady = (p: V1Pod) => p.status?.phase === 'Running' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Nodes (sorted) that have a Running, Ready pod in `namespace`. */
export async function nodesWithReadyPods(namespace: string, labelSelector?: string): Promise<string[]> {
  return (await podsIn(namespace, labelSelector)).filter(isReady).map((p) => p.spec!.nodeName!).sort();
}

/** The Pki of the running control plane, to issue client certificates for RBAC tests. */
export function pki(): Pki {
  const dir = join(inject('clusterDir'), 'pki');
  return { dir, caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), serverCert: '', serverKey: '', serviceAccountKey: '', serviceAccountPub: '' };
}

/** A kubeconfig for a user with no roles unless a test binds some. */
export function kubeconfigForUser(name: string, groups: readonly string[] = []): string {
  const p = pki();
  const cert = issueClientCert(p, name, groups);
  return writeKubeconfig(join(p.dir, '..', `${name}.kubeconfig`), inject('server'), p.caCert, name, cert);
}

/** A kubeconfig holding a fresh token of ServiceAccount `namespace/name`. */
export async function kubeconfigForServiceAccount(namespace: string, name: string): Promise<string> {
  const tr = await core().createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = tr.status?.token;
  if (!token) throw new Error(`no token for ${namespace}/${name}`);
  const path = join(inject('clusterDir'), `sa-${namespace}-${name}.kubeconfig`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    path,
    ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', `    server: ${inject('server')}`, `    certificate-authority: ${pki().caCert}`, 'users:', `- name: ${name}`, '  user:', `    token: ${token}`, 'contexts:', '- name: c', '  context:', '    cluster: c', `    user: ${name}`, 'current-context: c', ''].join('\n'),
    { mode: 0o600 },
  );
  return path;
}

/** Creates every object in a multi-document YAML file in the test cluster. */
export const applyYamlFile = (file: string): Promise<KubernetesObject[]> => applyObjects(kubeConfig(), file);
