// The pinned versions of every tool built from Go modules. Changing one rebuilds that tool once
// per machine: the cache directories are keyed by these versions.

/** helm is not packaged by Debian; built with `go install` and helm's release link flags. */
export const HELM_VERSION = 'v3.22.0';

/**
 * The Kubernetes version helm compiles in as its default (what `helm template` and `helm lint`
 * assume without a cluster). helm's release build derives it from its k8s.io/client-go
 * (v0.37); a plain `go install` would leave helm's fallback, 1.20.
 */
export const HELM_KUBERNETES = { major: '1', minor: '37' } as const;

/** Kubernetes release whose kube-apiserver, kube-controller-manager and kube-scheduler are built. */
export const KUBERNETES_VERSION = 'v1.37.2';

/**
 * etcd is built from go.etcd.io/etcd/server/v3 at the version k8s.io/kubernetes itself requires
 * (its go.mod pins v3.7.0), not Debian's etcd-server 3.4: kubeadm 1.37 states the minimum
 * external etcd as 3.5.24 (cmd/kubeadm/app/constants: MinExternalEtcdVersion).
 */
export const ETCD_MODULE = 'go.etcd.io/etcd/server/v3';

/**
 * kwok plays the kubelets of the fake nodes. v0.8.0 is built against client-go v0.36, which
 * talks to a 1.37 API server within the usual one-minor skew.
 */
export const KWOK_VERSION = 'v0.8.0';

// The parts of a real Kubernetes node (tests/cluster's real-0). The kubelet is built from
// k8s.io/kubernetes at KUBERNETES_VERSION, with the control plane.

/** containerd 2.x: kubelets after 1.35 need containerd >= 2.0, and Debian 12 ships 1.6. */
export const CONTAINERD_VERSION = 'v2.4.2';

/** runc from its Go module, with seccomp (cgo and libseccomp), as k3s ships it. */
export const RUNC_VERSION = 'v1.5.3';

/** The OCI registry (github.com/distribution/distribution/v3) the node pulls our images from. */
export const REGISTRY_VERSION = 'v3.1.2';

/**
 * Prometheus 3.16.0, whose Go module carries the release as v0.<major><minor>.<patch>. Built
 * here because Debian's 2.42 has no Kubernetes service discovery.
 */
export const PROMETHEUS_MODULE_VERSION = 'v0.316.0';

/** The Prometheus release of a module version: v0.316.0 is 3.16.0. */
export function prometheusRelease(moduleVersion: string = PROMETHEUS_MODULE_VERSION): string {
  const m = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(moduleVersion);
  if (!m) throw new Error(`not a Prometheus module version (v0.<major><minor:2 digits>.<patch>): ${moduleVersion}`);
  return `${m[1]}.${Number(m[2])}.${m[3]}`;
}
