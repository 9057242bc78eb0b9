// The GPIO device a chart's pods request from a device plugin (gpio.access=devicePlugin): an
// extended resource in the container limits, e.g. smarter-devices/gpiochip0. What a node
// advertises of it (status.capacity, status.allocatable), how much of it pods on the node hold,
// and which plugin provides it. Pure.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';

/** Resource names that are not devices: the built-in ones and hugepages. */
const BUILT_IN = /^(cpu|memory|ephemeral-storage|pods|hugepages-.+|kubernetes\.io\/.+|[^/]+\.kubernetes\.io\/.+)$/;

/** The device-plugin resources a DaemonSet's pods request (usually one, or none outside devicePlugin mode). */
export function requestedDevices(ds: V1DaemonSet): string[] {
  const names = new Set<string>();
  for (const c of ds.spec?.template?.spec?.containers ?? []) {
    for (const r of [c.resources?.limits, c.resources?.requests]) for (const k of Object.keys(r ?? {})) if (k.includes('/') && !BUILT_IN.test(k)) names.add(k);
  }
  return [...names].sort();
}

/** Known plugins by the domain of the resources they advertise. */
const PLUGINS: readonly { prefix: string; plugin: string; image: RegExp }[] = [
  { prefix: 'smarter-devices/', plugin: 'smarter-device-manager', image: /smarter-device-manager/ },
  { prefix: 'squat.ai/', plugin: 'squat/generic-device-plugin', image: /generic-device-plugin/ },
  { prefix: 'gpio-fleet.io/', plugin: "gpio-fleet's device plugin", image: /gpio-fleet[-/]device-plugin|gpio-device-plugin/ },
];

export interface DevicePlugin {
  /** What provides the resource: a known plugin's name, or a description. */
  name: string;
  /** The plugin's pod on the node, "namespace/name", when one is recognised by its image. */
  pod: string | undefined;
}

export function devicePlugin(resource: string, podsOnNode: readonly V1Pod[]): DevicePlugin {
  const known = PLUGINS.find((p) => resource.startsWith(p.prefix));
  const image = known?.image ?? /device-plugin/;
  const pod = podsOnNode.find((p) => (p.spec?.containers ?? []).some((c) => image.test(c.image ?? '')) || image.test(p.metadata?.name ?? ''));
  return { name: known?.plugin ?? `the device plugin that advertises ${resource}`, pod: pod ? `${pod.metadata?.namespace}/${pod.metadata?.name}` : undefined };
}

const terminated = (p: V1Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Kubernetes quantities of a device count: plain integers ("10"), sometimes with a suffix. */
function count(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const n = Number(q);
  return Number.isFinite(n) ? n : undefined;
}

export interface DeviceUse {
  resource: string;
  capacity: number | undefined;
  allocatable: number | undefined;
  /** Held by pods bound to the node that have not terminated. */
  inUse: number;
  /** "namespace/name" of those pods. */
  holders: string[];
}

/** How much of `resource` the node offers and its pods hold (extended resources: limits = requests). */
export function deviceUse(resource: string, node: V1Node, podsOnNode: readonly V1Pod[]): DeviceUse {
  let inUse = 0;
  const holders: string[] = [];
  for (const p of podsOnNode) {
    if (terminated(p) || p.spec?.nodeName !== node.metadata?.name) continue;
    const n = (p.spec?.containers ?? []).reduce((sum, c) => sum + (count(c.resources?.limits?.[resource] ?? c.resources?.requests?.[resource]) ?? 0), 0);
    if (n > 0) {
      inUse += n;
      holders.push(`${p.metadata?.namespace}/${p.metadata?.name}`);
    }
  }
  return {
    resource,
    capacity: count(node.status?.capacity?.[resource]),
    allocatable: count(node.status?.allocatable?.[resource]),
    inUse,
    holders: holders.sort(),
  };
}
