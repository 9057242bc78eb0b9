// One row of `gpio-fleet nodes`: what a node is, whether it carries the device label, and
// which gpio-fleet apps run on it. Pure: built from API objects the command fetched.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { detectPi } from './pi-detect.js';

export interface NodeSummary {
  name: string;
  arch: string;
  pi: boolean;
  piReason: string;
  kernel: string;
  osImage: string;
  /** Value of the device label, or undefined when the node has none. */
  label: string | undefined;
  ready: boolean;
  /** App names (app.kubernetes.io/name) of the gpio-fleet pods on the node, sorted. */
  apps: string[];
}

export function nodeReady(node: V1Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

export function summariseNodes(nodes: readonly V1Node[], pods: readonly V1Pod[], labelKey: string): NodeSummary[] {
  const appsByNode = new Map<string, Set<string>>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || p.metadata?.deletionTimestamp) continue;
    const app = p.metadata?.labels?.['app.kubernetes.io/name'] ?? p.metadata?.name ?? '?';
    appsByNode.set(node, (appsByNode.get(node) ?? new Set()).add(app));
  }
  return nodes
    .map((n) => {
      const name = n.metadata?.name ?? '?';
      const info = n.status?.nodeInfo;
      const pi = detectPi(info);
      return {
        name,
        arch: info?.architecture ?? n.metadata?.labels?.['kubernetes.io/arch'] ?? '?',
        pi: pi.pi,
        piReason: pi.reason,
        kernel: info?.kernelVersion ?? '',
        osImage: info?.osImage ?? '',
        label: n.metadata?.labels?.[labelKey],
        ready: nodeReady(n),
        apps: [...(appsByNode.get(name) ?? [])].sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
