// Typed access to the parts of a rendered DaemonSet the assertions look at.
import { only, type K8sObject } from './helm.js';
import type { Json } from './pod-security.js';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Json;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  livenessProbe?: Json;
  readinessProbe?: Json;
  securityContext?: Json;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: Json[];
  affinity?: Json;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: Json;
  imagePullSecrets?: { name: string }[];
  automountServiceAccountToken?: boolean;
  containers: Container[];
  volumes?: (Json & { name: string })[];
}

export interface DaemonSet extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    updateStrategy: Json;
    revisionHistoryLimit?: number;
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

export const daemonSet = (objects: K8sObject[]): DaemonSet => only<DaemonSet>(objects, 'DaemonSet');
export const podSpec = (objects: K8sObject[]): PodSpec => daemonSet(objects).spec.template.spec;

export function container(objects: K8sObject[]): Container {
  const containers = podSpec(objects).containers;
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0]!;
}

/** The container's env as name -> value (valueFrom entries as "<valueFrom>"). */
export function envOf(c: Container): Map<string, string> {
  return new Map((c.env ?? []).map((e) => [e.name, e.value ?? (e.valueFrom ? '<valueFrom>' : '')]));
}

/** hostPath volumes as path -> type. */
export function hostPaths(spec: PodSpec): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const v of spec.volumes ?? []) {
    const hp = v.hostPath as { path: string; type?: string } | undefined;
    if (hp) out.set(hp.path, hp.type);
  }
  return out;
}
