// Starts a real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (RBAC, default
// admission plugins including PodSecurity), kube-controller-manager (DaemonSet, namespace,
// garbage-collector, service-account controllers...), kube-scheduler, and kwok playing the
// kubelets of nodes annotated kwok.x-k8s.io/node=fake. Everything lives in one directory
// (certificates, kubeconfigs, etcd data, logs) and every process is recorded, so stop() (or
// `npm run cluster:down` from another process) ends them all and removes the directory.
import { freePort } from '@gpio-fleet/test-tools/processes';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ControlPlaneBinaries, Log } from './binaries.js';
import { KWOK_STAGES } from './kwok-stages.js';
import { writeKubeconfig } from './kubeconfig.js';
import { createPki, issueClientCert, type Pki } from './pki.js';

/**
 * The user the API server presents to kubelets, for logs, exec and port-forward (kubeadm's name
 * for it). A real kubelet authorizes it with a SubjectAccessReview, so a real node binds it to
 * the ClusterRole system:kubelet-api-admin when it joins (real-node/kubelet.ts).
 */
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

export interface ControlPlaneState {
  dir: string;
  server: string;
  /** Cluster-admin kubeconfig (group system:masters). */
  kubeconfig: string;
  caCert: string;
  pids: Record<string, number>;
  startedAt: string;
}

export interface ControlPlane extends ControlPlaneState {
  pki: Pki;
  stop(): Promise<void>;
  /** A kubeconfig for user `name` in `groups`: to test what RBAC lets that user do. */
  kubeconfigFor(name: string, groups?: readonly string[], namespace?: string): string;
}


/**
 * Whether `pid` still runs. A process that has exited but was not reaped (an orphan of
 * `cluster:up`, when the machine's init does not reap) is a zombie: signal 0 still reaches it,
 * so its /proc state decides.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** GET `url` with the admin client certificate; resolves with status and body. */
function httpsGet(url: string, tls: { ca: string; cert: string; key: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key), timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Stops every recorded process, in reverse start order (kwok and the controllers, then the API
 * server, etcd last, so nothing loses its backend while shutting down): SIGTERM, SIGKILL after
 * `graceMs`. Then removes the directory.
 */
export async function stopControlPlane(state: Pick<ControlPlaneState, 'dir' | 'pids'>, graceMs = 10_000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  for (const [name, pid] of Object.entries(state.pids).reverse()) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await sleep(50);
    if (alive(pid)) {
      process.stderr.write(`[cluster] ${name} (pid ${pid}) ignored SIGTERM for ${graceMs / 1000} s; killing it\n`);
      signal(pid, 'SIGKILL');
    }
  }
  rmSync(state.dir, { recursive: true, force: true });
}

export interface StartOptions {
  /** Directory for everything; created, and removed by stop(). */
  dir: string;
  binaries: ControlPlaneBinaries;
  log?: Log;
  /** How long to wait for each component to become ready. */
  readyTimeoutMs?: number;
  /**
   * An audit policy (YAML): the API server then writes the requests it selects, as JSON lines,
   * to logs/audit.log (auditLogPath), e.g. for tests that check which requests a client made.
   */
  auditPolicy?: string;
}

/** The cluster-admin user of the kubeconfig the control plane writes. */
export const ADMIN_USER = 'gpio-fleet-admin';

/** Where the API server writes its audit events when StartOptions.auditPolicy is given. */
export const auditLogPath = (dir: string): string => join(dir, 'logs', 'audit.log');

export async function startControlPlane(options: StartOptions): Promise<ControlPlane> {
  const { dir, binaries: bin } = options;
  const log = options.log ?? ((m: string) => process.stderr.write(`[cluster] ${m}\n`));
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const pki = createPki(join(dir, 'pki'));
  const pids: Record<string, number> = {};
  const state = { dir, pids };
  const logFile = (name: string) => join(dir, 'logs', `${name}.log`);

  const launch = (name: string, command: string, args: string[]): number => {
    const fd = openSync(logFile(name), 'a');
    // Detached: the control plane outlives `npm run cluster:up`; cluster:down ends it by pid.
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    pids[name] = child.pid;
    writeFileSync(join(dir, 'pids.json'), JSON.stringify(pids));
    return child.pid;
  };

  const waitUntil = async (name: string, ready: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const pid = pids[name];
      if (pid !== undefined && !alive(pid)) throw new Error(`${name} exited during start-up; last log lines:\n${tail(logFile(name))}`);
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${readyTimeoutMs / 1000} s; last log lines:\n${tail(logFile(name))}`);
      await sleep(200);
    }
  };

  try {
    const started = Date.now();
    const [etcdClient, etcdPeer, apiPort, cmPort, schedPort, kwokPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    launch('etcd', bin.etcd, [
      '--name=gpio-fleet-test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=gpio-fleet-test=http://127.0.0.1:${etcdPeer}`,
      // Throwaway data: no fsync keeps a loaded CI disk from slowing every write.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await waitUntil('etcd', async () => (await fetch(`${etcdUrl}/health`)).ok);

    const server = `https://127.0.0.1:${apiPort}`;
    const kubeletClient = issueClientCert(pki, KUBELET_CLIENT_USER);
    launch('kube-apiserver', bin.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // A loopback address cannot back the "kubernetes" Service's endpoints; nothing in the
      // tests reaches the API server through that Service.
      '--endpoint-reconciler-type=none',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=Node,RBAC',
      // The default admission chain stays (PodSecurity included); NodeRestriction as kubeadm.
      '--enable-admission-plugins=NodeRestriction',
      // Real kubelets (a real node: real-node/): the API server proves itself with this
      // certificate and checks theirs against the cluster CA. Nodes are reached by their IP:
      // their names resolve nowhere. kwok's fake nodes are never contacted.
      `--kubelet-client-certificate=${kubeletClient.cert}`,
      `--kubelet-client-key=${kubeletClient.key}`,
      `--kubelet-certificate-authority=${pki.caCert}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      // Pods may ask for privileged; Pod Security admission decides per namespace.
      '--allow-privileged=true',
      ...(options.auditPolicy === undefined ? [] : auditFlags(dir, options.auditPolicy)),
      `--cert-dir=${join(dir, 'pki', 'generated')}`,
      '--v=1',
    ]);
    const admin = issueClientCert(pki, ADMIN_USER, ['system:masters']);
    const tls = { ca: pki.caCert, cert: admin.cert, key: admin.key };
    await waitUntil('kube-apiserver', async () => (await httpsGet(`${server}/readyz`, tls)).status === 200);
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), server, pki.caCert, ADMIN_USER, admin);

    const cm = issueClientCert(pki, 'system:kube-controller-manager');
    const cmKubeconfig = writeKubeconfig(join(dir, 'controller-manager.kubeconfig'), server, pki.caCert, 'system:kube-controller-manager', cm);
    launch('kube-controller-manager', bin.kubeControllerManager, [
      `--kubeconfig=${cmKubeconfig}`,
      `--authentication-kubeconfig=${cmKubeconfig}`,
      `--authorization-kubeconfig=${cmKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cmPort}`,
      '--leader-elect=false',
      // Each controller acts as its own service account, with the roles the API server bootstraps.
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--controllers=*',
      '--v=1',
    ]);
    const sched = issueClientCert(pki, 'system:kube-scheduler');
    const schedKubeconfig = writeKubeconfig(join(dir, 'scheduler.kubeconfig'), server, pki.caCert, 'system:kube-scheduler', sched);
    launch('kube-scheduler', bin.kubeScheduler, [
      `--kubeconfig=${schedKubeconfig}`,
      `--authentication-kubeconfig=${schedKubeconfig}`,
      `--authorization-kubeconfig=${schedKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      '--leader-elect=false',
      '--v=1',
    ]);
    const kwokCert = issueClientCert(pki, 'kwok', ['system:masters']);
    const kwokKubeconfig = writeKubeconfig(join(dir, 'kwok.kubeconfig'), server, pki.caCert, 'kwok', kwokCert);
    const stages = join(dir, 'kwok-stages.yaml');
    writeFileSync(stages, KWOK_STAGES);
    launch('kwok', bin.kwok, [
      `--kubeconfig=${kwokKubeconfig}`,
      `--config=${stages}`,
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--server-address=127.0.0.1:${kwokPort}`,
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
    ]);
    // Its port opens seconds before its controllers run (they start once it has made their
    // service accounts and its informers are up). Until then a label changes nothing: the first
    // Pi labelled after start-up waited up to 7 s for its pod. The serviceaccount controller
    // making kube-system's "default" account shows the controllers running.
    await waitUntil('kube-controller-manager', async () => alive(pids['kube-controller-manager']!) && (await tcpOpen(cmPort)) && (await httpsGet(`${server}/api/v1/namespaces/kube-system/serviceaccounts/default`, tls)).status === 200);
    await waitUntil('kube-scheduler', async () => alive(pids['kube-scheduler']!) && (await tcpOpen(schedPort)));
    await waitUntil('kwok', async () => tcpOpen(kwokPort));
    log(`control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server}; KUBECONFIG=${kubeconfig}`);

    return {
      dir,
      server,
      kubeconfig,
      caCert: pki.caCert,
      pids,
      startedAt: new Date().toISOString(),
      pki,
      stop: () => stopControlPlane(state),
      kubeconfigFor: (name, groups = [], namespace) => {
        const c = issueClientCert(pki, name, groups);
        return writeKubeconfig(join(dir, `${name.replace(/[^\w.-]/g, '_')}.kubeconfig`), server, pki.caCert, name, c, namespace);
      },
    };
  } catch (e) {
    await stopControlPlane(state);
    throw e;
  }
}

function auditFlags(dir: string, policy: string): string[] {
  const file = join(dir, 'audit-policy.yaml');
  writeFileSync(file, policy);
  return [`--audit-policy-file=${file}`, `--audit-log-path=${auditLogPath(dir)}`, '--audit-log-format=json', '--audit-log-maxsize=200'];
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
