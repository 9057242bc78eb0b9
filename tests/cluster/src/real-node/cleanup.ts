// Stopping the real node and removing everything it made, in an order that lets each part clean
// up after itself: pods first, while the kubelet still runs (it stops their sandboxes, CNI frees
// their veths and addresses), then the kubelet, containerd and its shims, the other processes,
// and last what the parts leave on the machine whatever they are told: mounts, cgroups, the
// bridge, CNI's cache, the kubelet's /var/lib/kubelet and /var/log/containers links, and the
// kernel tunables the kubelet sets. It works from the state file alone, so it also cleans up
// after a node whose run was killed.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Log } from '@gpio-fleet/test-tools/provision';
import { alive } from '../control-plane.js';
import { containerdPaths, CRI_NAMESPACE, taskIds } from './containerd.js';
import { readSysctls } from './host-state.js';
import { clearNodeState, nodeStateFile, readNodeState, type RealNodeState } from './node-state.js';
import { CNI_NETWORK, POD_NETWORK, removeBridge } from './pod-network.js';
import { listProcesses, stopPid } from './processes.js';

/** Directories outside the run directory the parts create whatever they are told; removed unless they were there before. */
export const OUTSIDE_DIRS = ['/var/lib/kubelet', '/var/log/containers', '/var/lib/cni'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function core(kubeconfig: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(CoreV1Api);
}

/** Takes every pod off the node while its kubelet still runs, so the kubelet stops their sandboxes and CNI frees their veths. */
async function drainNode(state: RealNodeState, log: Log): Promise<void> {
  const kubelet = state.pids.kubelet;
  if (kubelet === undefined || !alive(kubelet) || !existsSync(state.kubeconfig)) return;
  const api = core(state.kubeconfig);
  const name = state.nodeName;
  try {
    await api.readNode({ name });
  } catch {
    return; // the control plane is gone: nothing to drain through
  }
  // A NoExecute taint evicts every pod, DaemonSet pods too, and keeps new ones off.
  await api.patchNode({ name, body: { spec: { taints: [{ key: 'gpio-fleet.test/node-down', effect: 'NoExecute' }] } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  const onNode = async () => (await api.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` })).items;
  for (const p of await onNode()) await api.deleteNamespacedPod({ name: p.metadata!.name!, namespace: p.metadata!.namespace! }).catch(() => undefined);
  const deadline = Date.now() + 60_000;
  let pods = 0;
  let tasks = 0;
  while (Date.now() < deadline) {
    pods = (await onNode()).length;
    tasks = state.ctr && state.socket ? taskIds(state.ctr, state.socket).length : 0;
    if (pods === 0 && tasks === 0) return;
    await sleep(250);
  }
  log(`after 60 s, ${pods} pod(s) and ${tasks} containerd task(s) are left on ${name}; removing them by force`);
}

function run(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Mount points under `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\(\d{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

function removeCgroupTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
  rmdirSync(dir);
}

/**
 * Stops the node and removes everything it made. Every step runs even when one fails; the
 * failures are reported together at the end (and the state file is kept for another try).
 */
export async function stopRealNode(given: RealNodeState, log: Log): Promise<void> {
  // Processes other processes added to the record since (recordNodeProcess) are the node's too.
  const recorded = readNodeState();
  const state: RealNodeState = recorded?.runDir === given.runDir ? { ...given, pids: { ...given.pids, ...recorded.pids } } : given;
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (e) {
      problems.push(`${what}: ${message(e)}`);
    }
  };
  const t0 = Date.now();
  const paths = containerdPaths(state.runDir);

  await step('taking the pods off the node', () => drainNode(state, log));
  await step('stopping the kubelet', async () => {
    if (state.pids.kubelet !== undefined && !(await stopPid(state.pids.kubelet, 20_000))) log('the kubelet ignored SIGTERM for 20 s and was killed');
    if (existsSync(state.kubeconfig)) await core(state.kubeconfig).deleteNode({ name: state.nodeName }).catch(() => undefined);
  });
  await step('stopping containerd and its containers', async () => {
    const containerd = state.pids.containerd;
    if (containerd !== undefined && alive(containerd) && state.ctr) {
      for (const id of taskIds(state.ctr, paths.socket)) run(state.ctr, ['--address', paths.socket, '--namespace', CRI_NAMESPACE, 'tasks', 'kill', '--signal', 'SIGKILL', id]);
      await sleep(500);
      for (const id of taskIds(state.ctr, paths.socket)) run(state.ctr, ['--address', paths.socket, '--namespace', CRI_NAMESPACE, 'tasks', 'delete', '--force', id]);
    }
    if (containerd !== undefined) await stopPid(containerd, 15_000);
    // Shims outlive containerd by design; any still serving this node's containerd goes now.
    for (const p of listProcesses().filter((x) => x.exe.endsWith('/containerd-shim-runc-v2') && x.args.includes(paths.socket))) await stopPid(p.pid, 2_000);
    // Containers whose shim was killed before them (a SIGKILLed run) are still runc's.
    const runcRoot = join(paths.runcRoot, CRI_NAMESPACE);
    const runc = existsSync(runcRoot) ? findRunc(state) : undefined;
    if (runc) {
      for (const id of readdirSync(runcRoot)) {
        run(runc, ['--root', runcRoot, 'kill', id, 'KILL']);
        run(runc, ['--root', runcRoot, 'delete', '--force', id]);
      }
    }
  });
  await step('stopping the other processes', async () => {
    for (const [part, pid] of Object.entries(state.pids).reverse()) if (part !== 'kubelet' && part !== 'containerd') await stopPid(pid, 10_000);
  });
  await step('unmounting', () => {
    for (const m of mountsUnder(state.runDir)) if (!run('umount', [m])) run('umount', ['--lazy', m]);
    const left = mountsUnder(state.runDir);
    if (left.length > 0) throw new Error(`still mounted: ${left.join(', ')}`);
  });
  await step('removing the pods\' cgroups', () => {
    for (const controller of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
      const dir = join('/sys/fs/cgroup', controller);
      if (!lstatSync(dir).isDirectory()) continue;
      for (const e of readdirSync(dir)) if (e.startsWith('kubepods')) removeCgroupTree(join(dir, e));
    }
  });
  await step('removing the pod network', () => {
    removeBridge(POD_NETWORK);
    const results = '/var/lib/cni/results';
    if (existsSync(results)) for (const f of readdirSync(results)) if (f.startsWith(`${CNI_NETWORK}-`)) rmSync(join(results, f), { force: true });
  });
  await step('removing what the kubelet leaves outside its directories', () => {
    // /var/log/containers links ignore podLogsDir (the kubelet hardcodes the directory).
    const links = '/var/log/containers';
    if (existsSync(links)) {
      for (const f of readdirSync(links)) {
        const p = join(links, f);
        if (lstatSync(p).isSymbolicLink() && readlinkSync(p).startsWith(`${state.runDir}/`)) rmSync(p);
      }
    }
    for (const d of OUTSIDE_DIRS.filter((x) => !state.existedBefore.includes(x))) {
      // The device manager's socket ignores --root-dir: /var/lib/kubelet/device-plugins/kubelet.sock.
      if (d === '/var/lib/kubelet') rmSync(d, { recursive: true, force: true });
      else removeEmptyTree(d);
    }
  });
  await step('restoring kernel tunables', () => {
    const now = readSysctls(Object.keys(state.sysctls));
    for (const [key, value] of Object.entries(state.sysctls)) {
      if (now[key] !== value) {
        writeFileSync(join('/proc/sys', ...key.split('.')), `${value}\n`);
        log(`restored ${key} = ${value} (was ${now[key]})`);
      }
    }
  });
  await step('removing the run directory', () => rmSync(state.runDir, { recursive: true, force: true }));
  if (problems.length > 0) throw new Error(`stopping the real node ${state.nodeName} left problems (state kept in ${nodeStateFile()}):\n  ${problems.join('\n  ')}`);
  clearNodeState();
  log(`real node ${state.nodeName} stopped and removed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Removes a directory tree that holds only directories (what CNI leaves when its cache is empty). */
function removeEmptyTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeEmptyTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    // not empty: something else keeps files there
  }
}

/** The runc the node's containerd was configured with. */
function findRunc(state: RealNodeState): string | undefined {
  const config = join(state.runDir, 'containerd', 'config.toml');
  if (!existsSync(config)) return undefined;
  return /BinaryName = '([^']+)'/.exec(readFileSync(config, 'utf8'))?.[1];
}
