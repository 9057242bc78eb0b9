// The real node's pod network: a Linux bridge on this machine, CNI's bridge and host-local
// plugins (Debian's containernetworking-plugins) handing pods addresses on it, and the API
// server's Service IP on the same bridge (service-proxy.ts forwards it).
//
// The bridge is made before the kubelet starts, so its gateway address can be the node IP:
// the kubelet refuses a loopback node IP, the API server must reach the kubelet, and the
// machine's own interfaces stay untouched. 10.200.0.0/24 keeps clear of podman's
// cni-podman0 (10.88.0.0/16) and of the kwok pod CIDRs (10.244.0.0/16).
import { execFileSync } from 'node:child_process';

export interface PodNetwork {
  bridge: string;
  /** The pods' subnet, a /24. */
  subnet: string;
  /** The bridge's address: the pods' gateway and the kubelet's node IP. */
  nodeIp: string;
  /** The first address host-local hands to a pod. */
  rangeStart: string;
  /** The "kubernetes" Service's cluster IP (the first of the API server's --service-cluster-ip-range). */
  serviceIp: string;
}

export const POD_NETWORK: PodNetwork = {
  bridge: 'gfbr0',
  subnet: '10.200.0.0/24',
  nodeIp: '10.200.0.1',
  rangeStart: '10.200.0.10',
  serviceIp: '10.96.0.1',
};

/** The CNI network's name: containerd and CNI's cache (/var/lib/cni/results) know it by this. */
export const CNI_NETWORK = 'gpio-fleet';

/**
 * The CNI configuration list containerd loads. No `ipam.routes`: `isDefaultGateway` adds the
 * default route itself, and naming it twice fails the pod's sandbox with "file exists".
 * `ipMasq: false` keeps the bridge plugin out of iptables; portmap changes nothing for pods
 * without hostPorts, and none of ours has any.
 */
export function cniConflist(net: PodNetwork, ipamDataDir: string): string {
  const conf = {
    cniVersion: '1.0.0',
    name: CNI_NETWORK,
    plugins: [
      {
        type: 'bridge',
        bridge: net.bridge,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', dataDir: ipamDataDir, ranges: [[{ subnet: net.subnet, rangeStart: net.rangeStart, gateway: net.nodeIp }]] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const prefixLength = (subnet: string): string => subnet.split('/')[1] ?? '24';

/** Creates the bridge with the node IP and the Service IP, up. Throws if it exists already. */
export function createBridge(net: PodNetwork): void {
  ip(['link', 'add', net.bridge, 'type', 'bridge']);
  ip(['addr', 'add', `${net.nodeIp}/${prefixLength(net.subnet)}`, 'dev', net.bridge]);
  ip(['addr', 'add', `${net.serviceIp}/32`, 'dev', net.bridge]);
  ip(['link', 'set', net.bridge, 'up']);
}

/** Names of the interfaces enslaved to `bridge` (the pods' host-side veths). */
export function bridgePorts(bridge: string): string[] {
  let out: string;
  try {
    out = ip(['-o', 'link', 'show', 'master', bridge]);
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

export function bridgeExists(bridge: string): boolean {
  try {
    ip(['link', 'show', bridge]);
    return true;
  } catch {
    return false;
  }
}

/** Deletes any veth still on the bridge, then the bridge (its addresses go with it). */
export function removeBridge(net: PodNetwork): void {
  for (const port of bridgePorts(net.bridge)) ip(['link', 'del', port]);
  if (bridgeExists(net.bridge)) ip(['link', 'del', net.bridge]);
}
