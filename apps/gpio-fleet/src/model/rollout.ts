// `gpio-fleet status`: a DaemonSet's rollout as counts, and each of its pods. Pure.
import type { V1DaemonSet, V1Pod } from '@kubernetes/client-node';

export interface PodState {
  /** The node the pod runs on, or for a pod not yet scheduled the node it is meant for. */
  node: string;
  /** Why a pod is not running or not ready (Unschedulable, CrashLoopBackOff, ...), or "". */
  reason: string;
  pod: string;
  phase: string;
  ready: boolean;
  restarts: number;
  image: string;
  /** Runs the DaemonSet's current pod template (same images). */
  updated: boolean;
}

export interface AppStatus {
  namespace: string;
  daemonSet: string;
  app: string;
  image: string;
  desired: number;
  current: number;
  ready: number;
  updated: number;
  available: number;
  /** The controller has seen the latest spec and every desired pod is updated and available. */
  complete: boolean;
  pods: PodState[];
}

function images(spec: { containers?: { image?: string }[] } | undefined): string {
  return (spec?.containers ?? []).map((c) => c.image ?? '').join(',');
}

/**
 * The DaemonSet controller pins each pod to its node with a required node affinity on
 * metadata.name; the scheduler sets spec.nodeName only once it binds the pod. A pod stuck
 * before binding (no room for its resources) still belongs to that node.
 */
export function targetNode(pod: V1Pod): string {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0]!;
  }
  return '';
}

/** Why a pod is not running or not ready (Unschedulable, CrashLoopBackOff, ...), or "". */
export function notRunningReason(pod: V1Pod): string {
  const waiting = (pod.status?.containerStatuses ?? []).find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return waiting;
  const failing = (pod.status?.conditions ?? []).find((c) => c.status === 'False' && c.reason);
  return failing?.reason ?? '';
}

export function ownedBy(pod: V1Pod, ds: V1DaemonSet): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.uid === ds.metadata?.uid);
}

export function rolloutStatus(ds: V1DaemonSet, pods: readonly V1Pod[]): AppStatus {
  const s = ds.status;
  const desired = s?.desiredNumberScheduled ?? 0;
  const updated = s?.updatedNumberScheduled ?? 0;
  const available = s?.numberAvailable ?? 0;
  const observed = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
  const image = images(ds.spec?.template?.spec);
  const podStates = pods
    .filter((p) => ownedBy(p, ds) && !p.metadata?.deletionTimestamp)
    .map((p) => ({
      node: targetNode(p),
      reason: notRunningReason(p),
      pod: p.metadata?.name ?? '?',
      phase: p.status?.phase ?? 'Unknown',
      ready: p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
      restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
      image: images(p.spec),
      updated: images(p.spec) === image,
    }))
    .sort((a, b) => a.node.localeCompare(b.node));
  return {
    namespace: ds.metadata?.namespace ?? '',
    daemonSet: ds.metadata?.name ?? '?',
    app: ds.metadata?.labels?.['app.kubernetes.io/name'] ?? ds.metadata?.name ?? '?',
    image,
    desired,
    current: s?.currentNumberScheduled ?? 0,
    ready: s?.numberReady ?? 0,
    updated,
    available,
    complete: observed && updated === desired && available === desired && (s?.numberUnavailable ?? 0) === 0,
    pods: podStates,
  };
}
