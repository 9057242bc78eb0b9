// The pinned versions of the control-plane parts. Changing one rebuilds that part once per
// machine (the cache directories are keyed by these versions).

/** Kubernetes release whose kube-apiserver, kube-controller-manager and kube-scheduler we build. */
export const KUBERNETES_VERSION = 'v1.37.2';

/**
 * kwok plays the kubelets of the fake nodes. v0.8.0 is built against client-go v0.36, which
 * talks to a 1.37 API server within the usual one-minor skew.
 */
export const KWOK_VERSION = 'v0.8.0';

/**
 * etcd is built from go.etcd.io/etcd/server/v3 at the version k8s.io/kubernetes itself requires
 * (its go.mod pins v3.7.0), not Debian's etcd-server 3.4: kubeadm 1.37 states the minimum
 * external etcd as 3.5.24 (cmd/kubeadm/app/constants: MinExternalEtcdVersion).
 */
export const ETCD_MODULE = 'go.etcd.io/etcd/server/v3';

/** The staging modules k8s.io/* carry the Kubernetes minor as v0.<minor>.<patch>. */
export function stagingVersion(kubernetes: string): string {
  const m = /^v1\.(\d+)\.(\d+)$/.exec(kubernetes);
  if (!m) throw new Error(`not a Kubernetes release version: ${kubernetes}`);
  return `v0.${m[1]}.${m[2]}`;
}
