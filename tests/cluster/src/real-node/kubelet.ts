// The real node's kubelet: its configuration for this machine, its command line, and its
// identity in the test cluster (certificates from the cluster CA, no bootstrap tokens).
import { join } from 'node:path';
import { KUBELET_CLIENT_USER } from '../control-plane.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { issueClientCert, issueServingCert } from '../pki.js';

export interface KubeletConfigOptions {
  /** containerd's CRI socket. */
  runtimeSocket: string;
  nodeIp: string;
  port: number;
  healthzPort: number;
  servingCert: string;
  servingKey: string;
  /** The cluster CA: the API server's client certificate is checked against it. */
  clientCaFile: string;
  /** Default /var/log/pods. */
  podLogsDir: string;
  /** Default /usr/libexec/kubernetes/kubelet-plugins/volume/exec. */
  volumePluginDir: string;
}

/** KubeletConfiguration (v1beta1) for this machine: cgroups v1, no systemd, a shared disk. */
export function kubeletConfigYaml(o: KubeletConfigOptions): string {
  return [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'kind: KubeletConfiguration',
    '# cgroups v1 (hybrid) here: kubelets since 1.35 refuse to start on v1 unless told.',
    'failCgroupV1: false',
    '# cgroupfs, as containerd\'s runc options: no systemd on this machine.',
    'cgroupDriver: cgroupfs',
    'failSwapOn: false',
    `containerRuntimeEndpoint: unix://${o.runtimeSocket}`,
    `imageServiceEndpoint: unix://${o.runtimeSocket}`,
    `address: ${o.nodeIp}`,
    `port: ${o.port}`,
    'readOnlyPort: 0',
    'healthzBindAddress: 127.0.0.1',
    `healthzPort: ${o.healthzPort}`,
    `tlsCertFile: ${o.servingCert}`,
    `tlsPrivateKeyFile: ${o.servingKey}`,
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    enabled: true',
    '  x509:',
    `    clientCAFile: ${o.clientCaFile}`,
    'authorization:',
    '  mode: Webhook',
    `podLogsDir: ${o.podLogsDir}`,
    `volumePluginDir: ${o.volumePluginDir}`,
    '# No cluster DNS in the test cluster: pods use the machine\'s resolv.conf.',
    'resolvConf: /etc/resolv.conf',
    '# A shared build machine\'s disk: never evict our few pods for what others use.',
    'evictionHard:',
    '  memory.available: 100Mi',
    '  nodefs.available: 1%',
    '  nodefs.inodesFree: 1%',
    '  imagefs.available: 1%',
    'imageGCHighThresholdPercent: 100',
    'imageGCLowThresholdPercent: 99',
    '# No logind: graceful node shutdown off.',
    'shutdownGracePeriod: 0s',
    'shutdownGracePeriodCriticalPods: 0s',
    '# No KUBE-FIREWALL, KUBE-IPTABLES-HINT or KUBE-KUBELET-CANARY chains (they serve',
    '# kube-proxy, which this node has none of): the machine\'s iptables stays as it was.',
    'makeIPTablesUtilChains: false',
    'nodeStatusUpdateFrequency: 5s',
    'syncFrequency: 10s',
    '',
  ].join('\n');
}

export interface KubeletArgs {
  config: string;
  kubeconfig: string;
  rootDir: string;
  nodeName: string;
  nodeIp: string;
}

export function kubeletArgs(o: KubeletArgs): string[] {
  return [`--config=${o.config}`, `--kubeconfig=${o.kubeconfig}`, `--root-dir=${o.rootDir}`, `--hostname-override=${o.nodeName}`, `--node-ip=${o.nodeIp}`, '--v=2'];
}

export interface KubeletCredentials {
  kubeconfig: string;
  servingCert: string;
  servingKey: string;
}

/**
 * The node's identity: a client certificate for system:node:<name> in system:nodes (the Node
 * authorizer and NodeRestriction know the node by it) and a serving certificate for the node IP,
 * both signed by the cluster CA, in the control plane's pki directory.
 */
export function joinCredentials(o: { pkiDir: string; caCert: string; server: string; nodeName: string; nodeIp: string; dir: string }): KubeletCredentials {
  const pki = { dir: o.pkiDir };
  const user = `system:node:${o.nodeName}`;
  const client = issueClientCert(pki, user, ['system:nodes']);
  const serving = issueServingCert(pki, o.nodeName, [o.nodeIp]);
  const kubeconfig = writeKubeconfig(join(o.dir, 'kubeconfig'), o.server, o.caCert, user, client);
  return { kubeconfig, servingCert: serving.cert, servingKey: serving.key };
}

/**
 * kubeadm's binding: the API server's kubelet client (control-plane.ts) may use every kubelet's
 * API (logs, exec) through the ClusterRole the API server bootstraps.
 */
export const KUBELET_API_ADMIN_BINDING = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: KUBELET_CLIENT_USER },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kubelet-api-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: KUBELET_CLIENT_USER }],
};

/** The kernel tunables a kubelet sets unless protectKernelDefaults (which would refuse to start instead). */
export const KUBELET_SYSCTLS = ['vm.overcommit_memory', 'vm.panic_on_oom', 'kernel.panic', 'kernel.panic_on_oops', 'kernel.keys.root_maxkeys', 'kernel.keys.root_maxbytes'] as const;
