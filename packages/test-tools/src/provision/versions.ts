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
