// What a real node could leave behind on this machine, as a snapshot that two points in time
// can be compared by: processes, mounts, network interfaces, addresses and routes, iptables
// rules, cgroups, kernel tunables and the directories kubelet, containerd and CNI use whatever
// they are told. Each kind is scoped to what the node makes (its run directory, its bridge, its
// subnet, its binaries, the names the kubelet gives), so other work on a shared machine (podman's
// own bridge, another suite's network namespaces) does not show up as a difference.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listProcesses } from './processes.js';

export interface HostScope {
  /** Prefix of the node's run directories, e.g. /tmp/gf-node-. */
  runDirPrefix: string;
  bridge: string;
  /** The pod subnet's first three octets with the dot, e.g. "10.200.0.". */
  subnetPrefix: string;
  serviceIp: string;
  /** The node's own executables, exact paths (kubelet, containerd, shim, runc, registry, prometheus). */
  executables: readonly string[];
  /** Marks in a command line that make a process the node's (e.g. the service proxy's script). */
  commandMarks: readonly string[];
  sysctls: readonly string[];
}

/** Kind → sorted lines. */
export type HostState = Record<string, string[]>;

/** Directories the parts use whatever their configuration says (and those CNI and ctr default to). */
export const WATCHED_DIRS = [
  '/var/log/containers',
  '/var/log/pods',
  '/var/lib/cni',
  '/var/lib/kubelet',
  '/run/containerd',
  '/var/lib/containerd',
  '/etc/containerd',
  '/opt/containerd',
  '/etc/cni',
  '/opt/cni',
  '/usr/libexec/kubernetes',
  '/etc/cdi',
  '/var/run/cdi',
  '/var/run/nri',
] as const;

/** Mount points outside the run directory that the kubelet or containerd could leave. */
const MOUNT_PREFIXES = ['/var/lib/kubelet', '/run/containerd', '/var/run/netns/cni-', '/run/netns/cni-'];

const sorted = (lines: Iterable<string>) => [...new Set(lines)].sort();

/**
 * `ip -o link show` lines of the node's interfaces: the bridge, whatever is enslaved to it, and
 * veths without a master (a pod's veth whose bridge is gone). Indexes and counters are dropped.
 */
export function nodeLinks(ipLink: string, bridge: string): string[] {
  const out: string[] = [];
  for (const line of ipLink.split('\n')) {
    const m = /^\d+:\s+([^:\s]+):\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const [name, rest] = [m[1]!.split('@')[0]!, m[2]!];
    const master = / master (\S+)/.exec(rest)?.[1];
    const state = / state (\S+)/.exec(rest)?.[1] ?? '';
    if (name === bridge || master === bridge || (name.startsWith('veth') && master === undefined)) out.push(`${name}${master ? ` master ${master}` : ''} ${state}`.trim());
  }
  return sorted(out);
}

/** `ip -o addr show` lines with the pod subnet or the Service IP. */
export function nodeAddresses(ipAddr: string, scope: Pick<HostScope, 'subnetPrefix' | 'serviceIp' | 'bridge'>): string[] {
  const out: string[] = [];
  for (const line of ipAddr.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const [dev, family, address] = [cols[1], cols[2], cols[3]];
    if (!dev || !address) continue;
    if (dev === scope.bridge || address.startsWith(scope.subnetPrefix) || address.startsWith(`${scope.serviceIp}/`)) out.push(`${dev} ${family} ${address}`);
  }
  return sorted(out);
}

/** `ip route show table all` lines through the bridge or into the pod subnet. */
export function nodeRoutes(routes: string, scope: Pick<HostScope, 'subnetPrefix' | 'serviceIp' | 'bridge'>): string[] {
  const dev = new RegExp(`\\bdev ${scope.bridge.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  return sorted(
    routes
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && (dev.test(l) || l.includes(scope.subnetPrefix) || l.includes(` ${scope.serviceIp} `))),
  );
}

/**
 * The lines of an iptables-save dump that a node makes: the kubelet's KUBE-* chains and jumps,
 * anything naming the bridge, the pod subnet or the Service IP, and the CNI plugins' rules
 * (their comments name the network, "gpio-fleet"). Each line carries its table; counters go.
 */
export function iptablesLines(dump: string, scope: Pick<HostScope, 'subnetPrefix' | 'serviceIp' | 'bridge'>): string[] {
  const marks = ['KUBE-', scope.bridge, scope.subnetPrefix, `${scope.serviceIp}/`, 'gpio-fleet'];
  let table = '';
  const out: string[] = [];
  for (const raw of dump.split('\n')) {
    const line = raw.replace(/\[\d+:\d+\]/g, '').trim();
    if (line.startsWith('*')) table = line;
    else if (line && !line.startsWith('#') && line !== 'COMMIT' && marks.some((m) => line.includes(m))) out.push(`${table} ${line}`);
  }
  return sorted(out);
}

/** Mount points (from /proc/self/mountinfo) under the run directories or the parts' default paths. */
export function nodeMounts(mountinfo: string, runDirPrefix: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    const target = left?.split(' ')[4];
    if (!target || !right) continue;
    // Octal escapes (\040 for a space) as the kernel writes them.
    const point = target.replace(/\\(\d{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (point.startsWith(runDirPrefix) || MOUNT_PREFIXES.some((p) => point.startsWith(p))) out.push(`${point} ${right.split(' ')[0]}`);
  }
  return sorted(out);
}

/** Compares two snapshots: one line per difference, "<kind>: + line" or "<kind>: - line". */
export function diffHostState(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  for (const kind of sorted([...Object.keys(before), ...Object.keys(after)])) {
    const a = new Set(before[kind] ?? []);
    const b = new Set(after[kind] ?? []);
    for (const l of b) if (!a.has(l)) out.push(`${kind}: + ${l}`);
    for (const l of a) if (!b.has(l)) out.push(`${kind}: - ${l}`);
  }
  return out;
}

function run(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : '';
}

function listTree(dir: string, depth: number): string[] {
  if (!existsSync(dir)) return [];
  const out = [dir];
  if (depth === 0 || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return out;
  for (const e of readdirSync(dir)) out.push(...listTree(join(dir, e), depth - 1));
  return out;
}

/** The value of each readable kernel tunable, as "key = value". */
export function readSysctls(keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    try {
      out[key] = readFileSync(join('/proc/sys', ...key.split('.')), 'utf8').trim();
    } catch {
      // not on this kernel (e.g. bridge-nf-call-iptables without br_netfilter)
    }
  }
  return out;
}

function inKubepodsCgroup(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes('/kubepods');
  } catch {
    return false;
  }
}

/** The machine as the node could have changed it, now. Needs root for iptables-save. */
export function snapshotHost(scope: HostScope): HostState {
  const executables = new Set(scope.executables);
  const processes = listProcesses()
    .filter((p) => executables.has(p.exe) || p.args.some((a) => a.includes(scope.runDirPrefix) || scope.commandMarks.some((m) => a.includes(m))) || inKubepodsCgroup(p.pid))
    .filter((p) => p.pid !== process.pid)
    .map((p) => `${basename(p.exe) || '?'} ${p.args.join(' ')}`);
  const iptables = ['iptables-save', 'iptables-legacy-save', 'ip6tables-save', 'ip6tables-legacy-save'].flatMap((tool) => iptablesLines(run(tool, []), scope).map((l) => `${tool} ${l}`));
  const cgroups: string[] = [];
  for (const controller of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const dir = join('/sys/fs/cgroup', controller);
    try {
      for (const e of readdirSync(dir)) if (e.startsWith('kubepods')) cgroups.push(join(dir, e));
    } catch {
      // a file (cgroup v2 interface files), not a controller directory
    }
  }
  const tmp = dirname(`${scope.runDirPrefix}x`);
  const runDirs = readdirSync(tmp).map((e) => join(tmp, e)).filter((p) => p.startsWith(scope.runDirPrefix));
  const netns = run('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith('cni-'));
  const sysctls = Object.entries(readSysctls(scope.sysctls)).map(([k, v]) => `${k} = ${v}`);
  return {
    processes: sorted(processes),
    mounts: nodeMounts(readFileSync('/proc/self/mountinfo', 'utf8'), scope.runDirPrefix),
    links: nodeLinks(run('ip', ['-o', 'link', 'show']), scope.bridge),
    addresses: nodeAddresses(run('ip', ['-o', 'addr', 'show']), scope),
    routes: nodeRoutes(run('ip', ['route', 'show', 'table', 'all']), scope),
    netns: sorted(netns),
    iptables: sorted(iptables),
    cgroups: sorted(cgroups),
    sysctls: sorted(sysctls),
    files: sorted(WATCHED_DIRS.flatMap((d) => listTree(d, 3)).filter((f) => !/podman|\/cni\.lock$/.test(f))),
    'run directories': sorted(runDirs),
  };
}
