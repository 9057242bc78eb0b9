// containerd for the real node: its configuration (every path that would default outside the
// node's run directory is moved into it, so the machine keeps nothing when the node is gone),
// the registry host it pulls from over plain HTTP, and what the runtime says about a container.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Where containerd keeps everything, all under the node's run directory. */
export interface ContainerdPaths {
  root: string;
  state: string;
  socket: string;
  ttrpcSocket: string;
  /** The shims' sockets. Kept short: unix socket paths are limited to 108 bytes. */
  shimSockets: string;
  opt: string;
  imageVerifiers: string;
  /** hosts.toml per registry (config_path). */
  certsDir: string;
  /** runc's state, per containerd namespace below it. */
  runcRoot: string;
  cniConfDir: string;
  cniIpamDir: string;
}

export function containerdPaths(runDir: string): ContainerdPaths {
  const c = join(runDir, 'containerd');
  return {
    root: join(c, 'root'),
    state: join(c, 'state'),
    socket: join(c, 'containerd.sock'),
    ttrpcSocket: join(c, 'containerd.sock.ttrpc'),
    shimSockets: join(runDir, 's'),
    opt: join(c, 'opt'),
    imageVerifiers: join(c, 'image-verifier'),
    certsDir: join(c, 'certs.d'),
    runcRoot: join(runDir, 'runc'),
    cniConfDir: join(runDir, 'cni', 'net.d'),
    cniIpamDir: join(runDir, 'cni', 'ipam'),
  };
}

/** The containerd namespace the CRI (and so the kubelet) uses. */
export const CRI_NAMESPACE = 'k8s.io';

export interface ContainerdConfig {
  paths: ContainerdPaths;
  runc: string;
  /** The sandbox image every pod starts with, in the node's registry. */
  pauseImage: string;
  cniBinDir: string;
  /**
   * Clamp oom_score_adj to containerd's own. Root here lacks CAP_SYS_RESOURCE, so the
   * kubelet's -998 for sandboxes cannot be set and runc fails "failed to update
   * /proc/self/oom_score_adj: Permission denied" without it.
   */
  restrictOomScoreAdj: boolean;
}

const q = (s: string) => `'${s}'`;

/**
 * config.toml, version 4: containerd 2.4's own (`containerd config default` prints 4). A version
 * 3 file is migrated on load, and the migration rewrites io.containerd.shim.v1.manager.
 */
export function containerdConfigToml(c: ContainerdConfig): string {
  const p = c.paths;
  return [
    'version = 4',
    `root = ${q(p.root)}`,
    `state = ${q(p.state)}`,
    '# No /etc/containerd/conf.d: nothing of this machine\'s configuration leaks in.',
    'imports = []',
    '',
    '[plugins]',
    "  [plugins.'io.containerd.server.v1.grpc']",
    `    address = ${q(p.socket)}`,
    "  [plugins.'io.containerd.server.v1.ttrpc']",
    `    address = ${q(p.ttrpcSocket)}`,
    "  [plugins.'io.containerd.shim.v1.manager']",
    '    # default /run/containerd/s',
    `    socket_dir = ${q(p.shimSockets)}`,
    "  [plugins.'io.containerd.internal.v1.opt']",
    '    # default /opt/containerd',
    `    path = ${q(p.opt)}`,
    "  [plugins.'io.containerd.nri.v1.nri']",
    '    # else it listens on /var/run/nri/nri.sock',
    '    disable = true',
    "  [plugins.'io.containerd.image-verifier.v1.bindir']",
    `    bin_dir = ${q(p.imageVerifiers)}`,
    '',
    "  [plugins.'io.containerd.cri.v1.images']",
    "    snapshotter = 'overlayfs'",
    "    [plugins.'io.containerd.cri.v1.images'.pinned_images]",
    `      sandbox = ${q(c.pauseImage)}`,
    "    [plugins.'io.containerd.cri.v1.images'.registry]",
    `      config_path = ${q(p.certsDir)}`,
    '',
    "  [plugins.'io.containerd.cri.v1.runtime']",
    `    restrict_oom_score_adj = ${c.restrictOomScoreAdj}`,
    '    # Network namespaces under the state directory, not /var/run/netns.',
    '    netns_mounts_under_state_dir = true',
    '    # Not /etc/cdi and /var/run/cdi.',
    '    cdi_spec_dirs = []',
    "    [plugins.'io.containerd.cri.v1.runtime'.containerd]",
    "      default_runtime_name = 'runc'",
    "      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
    "        runtime_type = 'io.containerd.runc.v2'",
    "        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
    `          BinaryName = ${q(c.runc)}`,
    '          # default /run/containerd/runc',
    `          Root = ${q(p.runcRoot)}`,
    '          # cgroupfs, as the kubelet (no systemd here)',
    '          SystemdCgroup = false',
    "    [plugins.'io.containerd.cri.v1.runtime'.cni]",
    `      bin_dirs = [${q(c.cniBinDir)}]`,
    `      conf_dir = ${q(p.cniConfDir)}`,
    '      max_conf_num = 1',
    '',
    "  [plugins.'io.containerd.grpc.v1.cri']",
    '    # The streaming server (exec, attach, port-forward) on loopback, a free port.',
    "    stream_server_address = '127.0.0.1'",
    "    stream_server_port = '0'",
    '',
  ].join('\n');
}

/** certs.d/<host>/hosts.toml: pull and resolve from `registryHost` over plain HTTP. */
export function hostsToml(registryHost: string): string {
  return [`server = "http://${registryHost}"`, '', `[host."http://${registryHost}"]`, '  capabilities = ["pull", "resolve"]', ''].join('\n');
}

/** Runs `ctr` against the node's containerd in the CRI namespace; returns stdout. */
export function ctr(ctrBinary: string, socket: string, args: readonly string[]): string {
  const r = spawnSync(ctrBinary, ['--address', socket, '--namespace', CRI_NAMESPACE, ...args], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ctr: ${r.error.message}`);
  // ctr warns about cgroup v1 on stderr on every call; only the exit status counts.
  if (r.status !== 0) throw new Error(`ctr ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** A subset of the OCI runtime spec containerd handed runc for a container. */
export interface OciSpec {
  process?: {
    user?: { uid?: number; gid?: number; additionalGids?: number[] };
    noNewPrivileges?: boolean;
    capabilities?: Partial<Record<'bounding' | 'effective' | 'inheritable' | 'permitted' | 'ambient', string[]>>;
  };
  root?: { path?: string; readonly?: boolean };
  linux?: { seccomp?: { defaultAction?: string; syscalls?: unknown[] }; maskedPaths?: string[]; readonlyPaths?: string[] };
}

/** The OCI spec of container `id` (a CRI container ID, without "containerd://"). */
export function containerSpec(ctrBinary: string, socket: string, id: string): OciSpec {
  return (JSON.parse(ctr(ctrBinary, socket, ['containers', 'info', id])) as { Spec?: OciSpec }).Spec ?? {};
}

/** The host pid of container `id`'s process, from the task list. */
export function taskPid(ctrBinary: string, socket: string, id: string): number {
  const line = ctr(ctrBinary, socket, ['tasks', 'ls'])
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((cols) => cols[0] === id);
  const pid = Number(line?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no running task for container ${id}`);
  return pid;
}

/** IDs of the tasks containerd runs (any state). */
export function taskIds(ctrBinary: string, socket: string): string[] {
  return ctr(ctrBinary, socket, ['tasks', 'ls', '--quiet']).split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Removes an image from the node, `<repository>:<tag>`, or every image of a repository
 * (`127.0.0.1:5000/light-sensor`), with each other name the CRI gave the same image (its
 * repository@digest and sha256:<id> references), and waits for the garbage collection: the
 * next pull downloads whatever no remaining image shares.
 */
export function removeImages(ctrBinary: string, socket: string, reference: string): string[] {
  const tagged = /:[^/:]+$/.test(reference.replace(/^[^/]*\//, ''));
  const rows = ctr(ctrBinary, socket, ['images', 'ls'])
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map((cols) => ({ ref: cols[0]!, target: cols[2]! }));
  const named = (ref: string) => (tagged ? ref === reference : ref.startsWith(`${reference}:`) || ref.startsWith(`${reference}@`));
  const targets = new Set(rows.filter((r) => named(r.ref)).map((r) => r.target));
  const refs = rows.filter((r) => targets.has(r.target)).map((r) => r.ref);
  if (refs.length > 0) ctr(ctrBinary, socket, ['images', 'rm', '--sync', ...refs]);
  return refs;
}
