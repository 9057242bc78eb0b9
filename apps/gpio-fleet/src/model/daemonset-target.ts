// Whether a DaemonSet runs a pod on a node, decided as its controller does from the pod
// template: the nodeSelector, the required node affinity (label expressions), and the node's
// NoSchedule/NoExecute taints against the tolerations. Pure.
import type { V1DaemonSet, V1Node, V1NodeSelectorRequirement, V1Taint, V1Toleration } from '@kubernetes/client-node';

export interface Targeting {
  targets: boolean;
  /** Why not, e.g. "nodeSelector device=raspberry does not match". */
  reason: string;
}

function requirementHolds(r: V1NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

// The DaemonSet controller adds tolerations for these to every DaemonSet pod.
const AUTO_TOLERATED = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
]);

function tolerates(tolerations: readonly V1Toleration[], taint: V1Taint): boolean {
  if (AUTO_TOLERATED.has(taint.key)) return true;
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function daemonSetTargets(ds: V1DaemonSet, node: V1Node): Targeting {
  const spec = ds.spec?.template?.spec;
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return { targets: false, reason: `its nodeSelector ${k}=${v} does not match the node` };
  }
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  // Terms are ORed, the expressions of a term ANDed; matchFields (metadata.name) are the
  // controller's own pinning of each pod, not part of the template.
  if (terms.length > 0 && !terms.some((t) => (t.matchExpressions ?? []).every((r) => requirementHolds(r, labels)))) {
    return { targets: false, reason: 'its required node affinity does not match the node' };
  }
  const blocking = (node.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec?.tolerations ?? [], t));
  if (blocking.length > 0) return { targets: false, reason: `the node's taint ${blocking.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')} is not tolerated` };
  return { targets: true, reason: '' };
}
