// Everything the real node runs, built or installed when missing: kubelet, containerd (with its
// runc shim and ctr), runc and the registry from their Go modules (@gpio-fleet/test-tools pins
// and caches them), and from Debian skopeo (pushes OCI layouts), the CNI plugins, iptables and
// iproute2. A part that cannot be had fails here, naming it: no scenario runs on a stand-in.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCommand, ensureContainerd, ensureDebianPackages, ensureKubelet, ensureRegistry, ensureRunc, type Log } from '@gpio-fleet/test-tools/provision';

/** Debian's containernetworking-plugins put them here. */
export const CNI_BIN_DIR = '/usr/lib/cni';
/** The plugins the node's conflist (pod-network.ts) uses, plus loopback, which the CRI adds. */
export const CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

export interface NodeBinaries {
  kubelet: string;
  containerd: string;
  shim: string;
  ctr: string;
  runc: string;
  registry: string;
  skopeo: string;
  cniBinDir: string;
}

function part<T>(name: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    throw new Error(`the real node's ${name} is missing and could not be provided: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * Paths of the node's parts, building and installing what is missing. Call it after the control
 * plane's binaries: the kubelet's build then reuses their compile cache.
 */
export function ensureNodeBinaries(log: Log): NodeBinaries {
  part('Debian packages (containernetworking-plugins, iptables, iproute2, util-linux)', () => ensureDebianPackages(['containernetworking-plugins', 'iptables', 'iproute2', 'util-linux'], { log }));
  const skopeo = part('skopeo', () => ensureCommand('skopeo', 'skopeo', { log }));
  const missing = CNI_PLUGINS.filter((p) => !existsSync(join(CNI_BIN_DIR, p)));
  if (missing.length > 0) throw new Error(`the real node's CNI plugins ${missing.join(', ')} are not in ${CNI_BIN_DIR} (Debian's containernetworking-plugins)`);
  const kubelet = part('kubelet', () => ensureKubelet({ log }));
  const containerd = part('containerd', () => ensureContainerd({ log }));
  const runc = part('runc', () => ensureRunc({ log }));
  const registry = part('registry', () => ensureRegistry({ log }));
  return { kubelet, ...containerd, runc, registry, skopeo, cniBinDir: CNI_BIN_DIR };
}
