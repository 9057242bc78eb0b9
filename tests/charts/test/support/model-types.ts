// The kinds the charts render, mapped to the model interfaces generated from the Kubernetes
// OpenAPI (kubernetes-models) and from the prometheus-operator CRDs. k8s-schema.ts reads this
// file with the TypeScript checker to learn which fields each object may have.
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

/** Keys are "<apiVersion> <kind>". */
export interface RenderedKinds {
  'apps/v1 DaemonSet': IDaemonSet;
  'v1 Service': IService;
  'v1 ConfigMap': IConfigMap;
  'monitoring.coreos.com/v1 ServiceMonitor': IServiceMonitor;
  'monitoring.coreos.com/v1 PodMonitor': IPodMonitor;
  'monitoring.coreos.com/v1 PrometheusRule': IPrometheusRule;
  'networking.k8s.io/v1 NetworkPolicy': INetworkPolicy;
}
