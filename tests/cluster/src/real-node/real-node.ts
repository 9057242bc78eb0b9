// A real Kubernetes node, "real-0", joined to the test control plane: a registry serving the
// pause image and our images, the pod bridge and the Service proxy, containerd with runc, and a
// kubelet, everything under one short run directory (/tmp/gf-node-XXXXXX) and recorded in the
// node state file before anything changes on the machine. cleanup.ts stops it and removes
// everything it made.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { freePort } from '@gpio-fleet/test-tools/processes';
import type { Log } from '@gpio-fleet/test-tools/provision';
import { alive } from '../control-plane.js';
import type { NodeBinaries } from './binaries.js';
import { OUTSIDE_DIRS, stopRealNode } from './cleanup.js';
import { containerdConfigToml, containerdPaths, containerSpec, ctr, hostsToml, taskPid, type OciSpec } from './containerd.js';
import { readSysctls, type HostScope } from './host-state.js';
import { KUBELET_API_ADMIN_BINDING, KUBELET_SYSCTLS, joinCredentials, kubeletArgs, kubeletConfigYaml } from './kubelet.js';
import { claimNodeState, clearNodeState, nodeRunning, nodeStateFile, readNodeState, recordNodeProcess, writeNodeState, type RealNodeState } from './node-state.js';
import type { PauseImage } from './pause-image.js';
import { bridgeExists, CNI_NETWORK, cniConflist, createBridge, POD_NETWORK } from './pod-network.js';
import { launchDetached, tail } from './processes.js';
import { pushImage, registryConfigYaml, registryLog, type RegistryLog } from './registry.js';

export const REAL_NODE_NAME = 'real-0';
/** Short: containerd's shim sockets live under it, and unix socket paths stop at 108 bytes. */
export const RUN_DIR_PREFIX = '/tmp/gf-node-';
/** Kernel tunables the node may change: the kubelet's, and the bridge plugin's ip_forward. */
export const NODE_SYSCTLS = [...KUBELET_SYSCTLS, 'net.ipv4.ip_forward'] as const;

/**
 * What the node could leave on this machine (host-state.ts): its run directories, bridge, subnet
 * and Service IP, its Go-built executables plus `more` (e.g. a test's Prometheus), the service
 * proxy's script, and the kernel tunables it may change.
 */
export function realNodeScope(bin: Pick<NodeBinaries, 'kubelet' | 'containerd' | 'shim' | 'ctr' | 'runc' | 'registry'>, more: readonly string[] = []): HostScope {
  const net = POD_NETWORK;
  return {
    runDirPrefix: RUN_DIR_PREFIX,
    bridge: net.bridge,
    subnetPrefix: net.subnet.replace(/\d+\/\d+$/, ''),
    serviceIp: net.serviceIp,
    executables: [bin.kubelet, bin.containerd, bin.shim, bin.ctr, bin.runc, bin.registry, ...more],
    commandMarks: [basename(serviceProxyScript())],
    sysctls: NODE_SYSCTLS,
  };
}

/** The control plane the node joins. */
export interface JoinTarget {
  /** The control plane's directory (its certificates are in <dir>/pki). */
  dir: string;
  server: string;
  /** Cluster-admin kubeconfig. */
  kubeconfig: string;
  caCert: string;
}

export interface StartRealNodeOptions {
  controlPlane: JoinTarget;
  binaries: NodeBinaries;
  pause: PauseImage;
  log: Log;
  nodeName?: string;
  readyTimeoutMs?: number;
}

export interface RealNode {
  name: string;
  ip: string;
  runDir: string;
  /** host:port of the node's registry on 127.0.0.1. */
  registry: string;
  registryLog: RegistryLog;
  /** The OCI spec containerd gave runc for a CRI container ("containerd://" prefix allowed). */
  containerSpec(containerId: string): OciSpec;
  /** The host pid of a container's process. */
  containerPid(containerId: string): number;
  /** Records another process as part of the node (e.g. a test's Prometheus), so stop ends it. */
  adopt(part: string, pid: number): void;
  /** A free directory under the run directory, removed with the node. */
  scratchDir(name: string): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const criId = (id: string) => id.replace(/^containerd:\/\//, '');

/** The service proxy's script: the built one, also when this module runs from its TypeScript source. */
function serviceProxyScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? join(dirname(here), '..', '..', 'dist', 'real-node', 'service-proxy.js') : join(dirname(here), 'service-proxy.js');
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function api(kubeconfig: string): { core: CoreV1Api; rbac: RbacAuthorizationV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), rbac: kc.makeApiClient(RbacAuthorizationV1Api) };
}

/**
 * Cleans up a recorded node whose processes are all gone (a killed run); refuses one that still
 * runs, naming who to ask.
 */
async function clearStaleNode(log: Log): Promise<void> {
  const stale = readNodeState();
  if (!stale) {
    // A state file that cannot be read holds no node: take it over.
    clearNodeState();
    return;
  }
  if (nodeRunning(stale)) {
    throw new Error(`a real node (${stale.nodeName}, run directory ${stale.runDir}) is running already (${nodeStateFile()}): stop it first with npm run cluster:down`);
  }
  log(`a previous real node (${stale.runDir}) was not stopped; cleaning it up first`);
  await stopRealNode(stale, log);
}

export async function startRealNode(o: StartRealNodeOptions): Promise<RealNode> {
  const { binaries: bin, log, controlPlane: cp } = o;
  const name = o.nodeName ?? REAL_NODE_NAME;
  const net = POD_NETWORK;
  const readyTimeoutMs = o.readyTimeoutMs ?? 120_000;
  await clearStaleNode(log);
  if (bridgeExists(net.bridge)) throw new Error(`the pod bridge ${net.bridge} exists already, and no real node is recorded: another node on this machine? (ip link del ${net.bridge} if it is a leftover)`);

  const started = Date.now();
  const runDir = mkdtempSync(RUN_DIR_PREFIX);
  const paths = containerdPaths(runDir);
  const state: RealNodeState = {
    nodeName: name,
    runDir,
    pids: {},
    kubeconfig: cp.kubeconfig,
    sysctls: readSysctls(NODE_SYSCTLS),
    existedBefore: OUTSIDE_DIRS.filter((d) => existsSync(d)),
    ctr: bin.ctr,
    socket: paths.socket,
    startedAt: new Date().toISOString(),
  };
  try {
    claimNodeState(state);
  } catch (e) {
    rmSync(runDir, { recursive: true, force: true });
    throw e;
  }
  const logs = join(runDir, 'logs');
  mkdirSync(logs);
  const logFile = (part: string) => join(logs, `${part}.log`);

  /** Starts one part and waits until it is ready; a part that exits or never gets ready fails the start, named. */
  const startPart = async (part: string, command: string, args: readonly string[], ready: () => Promise<boolean> | boolean, env?: NodeJS.ProcessEnv): Promise<void> => {
    const t0 = Date.now();
    const pid = launchDetached(part, command, args, logFile(part), env);
    state.pids[part] = pid;
    writeNodeState(state);
    for (;;) {
      if (!alive(pid)) throw new Error(`the real node's ${part} (${command}) exited during start-up; last lines of ${logFile(part)}:\n${tail(logFile(part))}`);
      if (await Promise.resolve().then(ready).catch(() => false)) break;
      if (Date.now() - t0 > readyTimeoutMs) throw new Error(`the real node's ${part} is not ready after ${readyTimeoutMs / 1000} s; last lines of ${logFile(part)}:\n${tail(logFile(part))}`);
      await sleep(200);
    }
    log(`${part} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  try {
    // The registry, and the sandbox image in it: the first thing every pod pulls.
    const registry = `127.0.0.1:${await freePort()}`;
    state.registry = registry;
    mkdirSync(join(runDir, 'registry'));
    const registryConfig = join(runDir, 'registry', 'config.yml');
    writeFileSync(registryConfig, registryConfigYaml({ dataDir: join(runDir, 'registry', 'data'), host: registry }));
    await startPart('registry', bin.registry, ['serve', registryConfig], async () => (await fetch(`http://${registry}/v2/`)).ok);
    pushImage(bin.skopeo, { layout: o.pause.layout, layoutRef: o.pause.tag, registry, repository: 'pause', tag: o.pause.tag, all: false });

    // The pod network: the bridge (node IP and Service IP on it), CNI's configuration, and the
    // Service proxy to the API server.
    createBridge(net);
    mkdirSync(paths.cniConfDir, { recursive: true });
    writeFileSync(join(paths.cniConfDir, `10-${CNI_NETWORK}.conflist`), cniConflist(net, paths.cniIpamDir));
    const apiPort = new URL(cp.server).port;
    await startPart('service-proxy', process.execPath, [serviceProxyScript(), `${net.serviceIp}:443`, apiPort], () => tcpOpen(net.serviceIp, 443));

    // containerd, pulling from the registry over plain HTTP.
    mkdirSync(join(paths.certsDir, registry), { recursive: true });
    writeFileSync(join(paths.certsDir, registry, 'hosts.toml'), hostsToml(registry));
    const containerdConfig = join(runDir, 'containerd', 'config.toml');
    writeFileSync(containerdConfig, containerdConfigToml({ paths, runc: bin.runc, pauseImage: `${registry}/pause:${o.pause.tag}`, cniBinDir: bin.cniBinDir, restrictOomScoreAdj: true }));
    // containerd finds its shim on PATH.
    const containerdEnv = { ...process.env, PATH: `${dirname(bin.shim)}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` };
    await startPart('containerd', bin.containerd, ['--config', containerdConfig, '--log-level', 'info'], () => {
      ctr(bin.ctr, paths.socket, ['version']);
      return true;
    }, containerdEnv);

    // The kubelet, with its identity from the cluster CA, registering itself.
    const kubeletDir = join(runDir, 'kubelet');
    mkdirSync(kubeletDir);
    const creds = joinCredentials({ pkiDir: join(cp.dir, 'pki'), caCert: cp.caCert, server: cp.server, nodeName: name, nodeIp: net.nodeIp, dir: kubeletDir });
    const { core, rbac } = api(cp.kubeconfig);
    await rbac.createClusterRoleBinding({ body: KUBELET_API_ADMIN_BINDING }).catch((e: unknown) => {
      if ((e as { code?: number }).code !== 409) throw e;
    });
    const kubeletConfig = join(kubeletDir, 'config.yaml');
    writeFileSync(
      kubeletConfig,
      kubeletConfigYaml({
        runtimeSocket: paths.socket,
        nodeIp: net.nodeIp,
        port: await freePort(),
        healthzPort: await freePort(),
        servingCert: creds.servingCert,
        servingKey: creds.servingKey,
        clientCaFile: cp.caCert,
        podLogsDir: join(kubeletDir, 'pod-logs'),
        volumePluginDir: join(kubeletDir, 'volume-plugins'),
      }),
    );
    await startPart('kubelet', bin.kubelet, kubeletArgs({ config: kubeletConfig, kubeconfig: creds.kubeconfig, rootDir: join(kubeletDir, 'root'), nodeName: name, nodeIp: net.nodeIp }), async () => {
      const node = await core.readNode({ name });
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    });
    log(`real node ${name} Ready in ${((Date.now() - started) / 1000).toFixed(1)} s (run directory ${runDir}, registry ${registry})`);
    return {
      name,
      ip: net.nodeIp,
      runDir,
      registry,
      registryLog: registryLog(logFile('registry')),
      containerSpec: (id) => containerSpec(bin.ctr, paths.socket, criId(id)),
      containerPid: (id) => taskPid(bin.ctr, paths.socket, criId(id)),
      adopt: (part, pid) => {
        state.pids[part] = pid;
        recordNodeProcess(part, pid);
      },
      scratchDir: (dir) => {
        const d = join(runDir, 'scratch', dir);
        mkdirSync(d, { recursive: true });
        return d;
      },
      stop: () => stopRealNode(state, log),
    };
  } catch (e) {
    log(`the real node did not start (${message(e)}); removing what it made`);
    await stopRealNode(state, log).catch((c: unknown) => log(`cleanup after the failed start: ${message(c)}`));
    throw e;
  }
}
