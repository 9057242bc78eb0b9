// The parts of a real Kubernetes node that are built from Go modules (tests/cluster's real-0,
// tests/node): kubelet, containerd with its runc shim and ctr, runc, the OCI registry, and a
// Prometheus with Kubernetes service discovery. Each is pinned in versions.ts and cached in
// <cache>/<name>-<version>/bin like every other tool. Debian parts (skopeo, the CNI plugins,
// iptables) are installed by the callers with ensureDebianPackages.
import { spawnSync } from 'node:child_process';
import { toolBinDir } from './cache.js';
import { ensureGoBinaries, type GoBinaries, type GoBuildOptions } from './go-install.js';
import { kubernetesVersionLdflags } from './kubernetes-module.js';
import { kubernetesModule } from './tools.js';
import { CONTAINERD_VERSION, KUBERNETES_VERSION, PROMETHEUS_MODULE_VERSION, prometheusRelease, REGISTRY_VERSION, RUNC_VERSION } from './versions.js';

/** Throws unless `binary args` exits 0 and prints `expected` (the version check of a fresh build). */
function reports(binary: string, args: readonly string[], expected: string | RegExp): void {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  const said = `${r.stdout}${r.stderr}`;
  const ok = typeof expected === 'string' ? said.includes(expected) : expected.test(said);
  if (r.status !== 0 || !ok) throw new Error(`the built ${binary} ${args.join(' ')} does not report ${String(expected)}: exit ${r.status}, ${said.trim()}`);
}

/**
 * The kubelet, from the control plane's generated module (tools.ts: kubernetesModule) with the
 * same release stamps: its own go build, after the control plane's, reuses every package the two
 * share from Go's compile cache. It is a spec of its own (not a fifth binary of KUBERNETES) so
 * that a cached control plane stays valid.
 */
export const KUBELET: GoBinaries<'kubelet'> = {
  name: 'kubelet',
  version: KUBERNETES_VERSION,
  label: `kubelet ${KUBERNETES_VERSION}`,
  packages: ['k8s.io/kubernetes/cmd/kubelet'],
  binaries: ['kubelet'],
  ldflags: kubernetesVersionLdflags(KUBERNETES_VERSION),
  goMod: (go) => kubernetesModule(go),
  verify: ({ kubelet }) => reports(kubelet, ['--version'], `Kubernetes ${KUBERNETES_VERSION}`),
};

export type ContainerdBinary = 'containerd' | 'containerd-shim-runc-v2' | 'ctr';

/** containerd's module has no replace directives: a plain go install of its three commands. */
export const CONTAINERD: GoBinaries<ContainerdBinary> = {
  name: 'containerd',
  version: CONTAINERD_VERSION,
  packages: ['github.com/containerd/containerd/v2/cmd/containerd', 'github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2', 'github.com/containerd/containerd/v2/cmd/ctr'],
  binaries: ['containerd', 'containerd-shim-runc-v2', 'ctr'],
  ldflags: ['-s', '-w', `-X github.com/containerd/containerd/v2/version.Version=${CONTAINERD_VERSION}`],
  verify: ({ containerd }) => reports(containerd, ['--version'], ` ${CONTAINERD_VERSION}`),
};

/**
 * runc with seccomp: the build tag needs cgo and libseccomp's headers (found by pkg-config), and
 * the binary links libseccomp.so.2. Debian's runc 1.1.5 also works under containerd 2.4, but
 * this is the runtime k3s ships, and building it costs about 20 s.
 */
export const RUNC: GoBinaries<'runc'> = {
  name: 'runc',
  version: RUNC_VERSION,
  packages: ['github.com/opencontainers/runc'],
  binaries: ['runc'],
  cgo: true,
  tags: ['seccomp'],
  ldflags: ['-s', '-w', `-X main.version=${RUNC_VERSION.slice(1)}`],
  debianPackages: ['libseccomp-dev', 'pkg-config', 'gcc'],
  // "libseccomp: <version>" is printed only when the seccomp tag took effect.
  verify: ({ runc }) => reports(runc, ['--version'], new RegExp(`version ${RUNC_VERSION.slice(1)}[\\s\\S]*libseccomp: \\d`)),
};

export const REGISTRY: GoBinaries<'registry'> = {
  name: 'registry',
  version: REGISTRY_VERSION,
  label: `registry (distribution) ${REGISTRY_VERSION}`,
  packages: ['github.com/distribution/distribution/v3/cmd/registry'],
  binaries: ['registry'],
  ldflags: ['-s', '-w', `-X github.com/distribution/distribution/v3/version.version=${REGISTRY_VERSION}`],
  verify: ({ registry }) => reports(registry, ['--version'], ` ${REGISTRY_VERSION}`),
};

/**
 * Prometheus with only the Kubernetes service discovery (plus the file and HTTP discovery it
 * always has): `remove_all_sd` drops the cloud discoveries, which are most of its compile time.
 * No `builtinassets` tag, so no web UI; the HTTP API is all the tests use.
 */
export const PROMETHEUS: GoBinaries<'prometheus' | 'promtool'> = {
  name: 'prometheus',
  version: PROMETHEUS_MODULE_VERSION,
  label: `Prometheus ${prometheusRelease()} (${PROMETHEUS_MODULE_VERSION}, Kubernetes service discovery only)`,
  packages: ['github.com/prometheus/prometheus/cmd/prometheus', 'github.com/prometheus/prometheus/cmd/promtool'],
  binaries: ['prometheus', 'promtool'],
  tags: ['remove_all_sd', 'enable_kubernetes_sd'],
  ldflags: ['-s', '-w', `-X github.com/prometheus/common/version.Version=${prometheusRelease()}`],
  verify: ({ prometheus }) => reports(prometheus, ['--version'], new RegExp(`version ${prometheusRelease().replace(/\./g, '\\.')}[\\s\\S]*enable_kubernetes_sd`)),
};

export const kubeletBinDir = (env: NodeJS.ProcessEnv = process.env): string => toolBinDir(KUBELET.name, KUBELET.version, env);

/** The kubelet, built first when missing (about 90 s after the control plane, far longer alone). */
export function ensureKubelet(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(KUBELET, options).kubelet;
}

export interface ContainerdBinaries {
  containerd: string;
  shim: string;
  ctr: string;
}

export function ensureContainerd(options: GoBuildOptions = {}): ContainerdBinaries {
  const b = ensureGoBinaries(CONTAINERD, options);
  return { containerd: b.containerd, shim: b['containerd-shim-runc-v2'], ctr: b.ctr };
}

export function ensureRunc(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(RUNC, options).runc;
}

export function ensureRegistry(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(REGISTRY, options).registry;
}

export function ensurePrometheus(options: GoBuildOptions = {}): { prometheus: string; promtool: string } {
  return ensureGoBinaries(PROMETHEUS, options);
}
