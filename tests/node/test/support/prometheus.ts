// A real Prometheus (built from its Go module with Kubernetes service discovery) run exactly as
// in a pod of the cluster, with deploy/prometheus/kubernetes/prometheus.yml unchanged: in a
// private mount namespace its ServiceAccount's token, the cluster CA and its namespace are at
// /var/run/secrets/kubernetes.io/serviceaccount, and KUBERNETES_SERVICE_HOST/PORT name the
// "kubernetes" Service (which the node's service proxy serves on this machine too). So the
// in-cluster configuration a pod would get is what it uses, and nothing is added to the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POD_NETWORK, recordNodeProcess } from '@gpio-fleet/cluster-tests';
import { freePort, start, waitFor, type Started } from '@gpio-fleet/test-tools/processes';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { core } from './cluster.js';

export interface RunningPrometheus {
  url: string;
  process: Started;
  /** The instant vector of `promql`, evaluated now. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  targets(): Promise<{ scrapeUrl: string; health: string; labels: Record<string, string>; lastError: string }[]>;
  stop(): Promise<void>;
}

/** The in-cluster service account directory a pod gets, under `dir`. */
async function serviceAccountFiles(dir: string, namespace: string, name: string): Promise<string> {
  const tr = await core().createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = tr.status?.token;
  if (!token) throw new Error(`no token for ServiceAccount ${namespace}/${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), token, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), readFileSync(inject('caCert')));
  writeFileSync(join(dir, 'namespace'), namespace);
  return dir;
}

// Inside the new mount namespace: a tmpfs over /run (so the host's /run is untouched), the
// service account files where client-go looks for them, then Prometheus itself (same pid).
const IN_POD_SHELL = 'set -e; run=$(readlink -f /var/run); mount -t tmpfs tmpfs "$run"; sa=/var/run/secrets/kubernetes.io/serviceaccount; mkdir -p "$sa"; cp "$0"/token "$0"/ca.crt "$0"/namespace "$sa"/; exec "$@"';

export async function startPrometheusInCluster(o: { config: string; dir: string; serviceAccount: { namespace: string; name: string } }): Promise<RunningPrometheus> {
  const sa = await serviceAccountFiles(join(o.dir, 'serviceaccount'), o.serviceAccount.namespace, o.serviceAccount.name);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${o.config}`, `--storage.tsdb.path=${join(o.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=info'];
  const p = start('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', IN_POD_SHELL, sa, inject('prometheus'), ...args], {
    env: { ...process.env, KUBERNETES_SERVICE_HOST: POD_NETWORK.serviceIp, KUBERNETES_SERVICE_PORT: '443' },
  });
  if (p.child.pid !== undefined) recordNodeProcess('prometheus', p.child.pid);
  await waitFor(
    'Prometheus to be ready',
    async () => {
      if (p.child.exitCode !== null) throw new Error(`Prometheus exited ${p.child.exitCode}:\n${p.stderr()}`);
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined;
    },
    60_000,
    200,
  ).catch((e: unknown) => {
    p.child.kill('SIGKILL');
    throw e;
  });
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    process: p,
    query: async (promql) => (await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    targets: async () => (await api<{ activeTargets: { scrapeUrl: string; health: string; labels: Record<string, string>; lastError: string }[] }>('/api/v1/targets?state=active')).activeTargets,
    stop: async () => {
      await p.stop(10_000);
    },
  };
}
