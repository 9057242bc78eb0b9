// The tools the tests and the bench run, each pinned (versions.ts) and built once per machine
// from its Go module (go-install.ts), or installed from Debian and PyPI.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolBinDir } from './cache.js';
import { ensureGoBinaries, type GoBinaries, type GoBuildOptions, type GoRunner } from './go-install.js';
import { kubernetesGoMod, kubernetesVersionLdflags } from './kubernetes-module.js';
import { ensurePythonModule } from './python.js';
import type { Log } from './log.js';
import { ETCD_MODULE, HELM_KUBERNETES, HELM_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.js';

/** The link flags helm's own Makefile sets for a release build. */
export function helmLdflags(version: string = HELM_VERSION): string[] {
  const x = (name: string, value: string) => `-X ${name}=${value}`;
  return [
    '-w',
    '-s',
    x('helm.sh/helm/v3/internal/version.version', version),
    x('helm.sh/helm/v3/internal/version.gitTreeState', 'clean'),
    x('helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor', HELM_KUBERNETES.major),
    x('helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor', HELM_KUBERNETES.minor),
    x('helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor', HELM_KUBERNETES.major),
    x('helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor', HELM_KUBERNETES.minor),
  ];
}

export const HELM: GoBinaries<'helm'> = {
  name: 'helm',
  version: HELM_VERSION,
  packages: ['helm.sh/helm/v3/cmd/helm'],
  binaries: ['helm'],
  ldflags: helmLdflags(),
  cgo: false,
  verify: ({ helm }) => {
    const v = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' });
    if (v.status !== 0 || !v.stdout.startsWith(HELM_VERSION)) throw new Error(`the built helm does not run or reports the wrong version: ${v.stdout}${v.stderr}`);
  },
};

/**
 * The generated main module every binary built from k8s.io/kubernetes shares (the control plane
 * here, the kubelet in node-tools.ts): the same go.mod gives the same packages, so a second
 * build reuses the first one's compile cache.
 */
export function kubernetesModule(go: GoRunner, version: string = KUBERNETES_VERSION): string {
  const info = JSON.parse(go(['mod', 'download', '-json', `k8s.io/kubernetes@${version}`])) as { GoMod?: string; Error?: string };
  if (!info.GoMod) throw new Error(`go mod download k8s.io/kubernetes@${version}: ${info.Error ?? 'no go.mod'}`);
  return kubernetesGoMod(readFileSync(info.GoMod, 'utf8'), version);
}

export type KubernetesBinary = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

/**
 * The control plane and etcd, in one `go build` inside a module that requires k8s.io/kubernetes
 * (kubernetes-module.ts); etcd at the version Kubernetes' own module graph selects.
 */
export const KUBERNETES: GoBinaries<KubernetesBinary> = {
  name: 'kubernetes',
  version: KUBERNETES_VERSION,
  label: `Kubernetes ${KUBERNETES_VERSION} control plane and etcd`,
  packages: ['k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler', ETCD_MODULE],
  binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'],
  // The etcd main package is the module root, so go names its binary after "server".
  rename: { server: 'etcd' },
  ldflags: kubernetesVersionLdflags(KUBERNETES_VERSION),
  goMod: (go) => kubernetesModule(go),
};

/** kwok's go.mod has no replace directives, so a plain go install works. */
export const KWOK: GoBinaries<'kwok'> = {
  name: 'kwok',
  version: KWOK_VERSION,
  packages: ['sigs.k8s.io/kwok/cmd/kwok'],
  binaries: ['kwok'],
  ldflags: ['-s', '-w'],
};

/** Where the pinned helm lives: <cache>/helm-<version>/bin/helm (it may not be built yet). */
export const helmPath = (env: NodeJS.ProcessEnv = process.env): string => join(toolBinDir(HELM.name, HELM.version, env), 'helm');
export const kubernetesBinDir = (env: NodeJS.ProcessEnv = process.env): string => toolBinDir(KUBERNETES.name, KUBERNETES.version, env);
export const kwokBinDir = (env: NodeJS.ProcessEnv = process.env): string => toolBinDir(KWOK.name, KWOK.version, env);

/** Path of the pinned helm, built first when missing (a few minutes on 2 cores, once). */
export function ensureHelm(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(HELM, options).helm;
}

export interface KubernetesBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  etcd: string;
}

/** Paths of the control-plane binaries and etcd, built first when missing (tens of minutes, once). */
export function ensureKubernetesBinaries(options: GoBuildOptions = {}): KubernetesBinaries {
  const b = ensureGoBinaries(KUBERNETES, options);
  return { kubeApiserver: b['kube-apiserver'], kubeControllerManager: b['kube-controller-manager'], kubeScheduler: b['kube-scheduler'], etcd: b.etcd };
}

/** Path of the pinned kwok, built first when missing. */
export function ensureKwok(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(KWOK, options).kwok;
}

/**
 * A python that imports gpiozero: Debian's python3-gpiozero, else pip into
 * <cache>/bench-venv.
 */
export function ensureGpiozero(options: { log?: Log } = {}): string {
  return ensurePythonModule({ module: 'gpiozero', debianPackage: 'python3-gpiozero', pipPackage: 'gpiozero', venv: 'bench-venv' }, options);
}
