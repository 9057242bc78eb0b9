// Prometheus and Grafana objects appear only when enabled, and select the app's pods.
import { describe, expect, it } from 'vitest';
import { daemonSet } from './support/daemonset.js';
import { only, render, type K8sObject } from './support/helm.js';
import { appCharts } from './support/paths.js';

type Spec = K8sObject & { spec: Record<string, unknown> & { selector?: { matchLabels?: Record<string, string> } } };
const kinds = (objects: K8sObject[]): string[] => objects.map((o) => o.kind).sort();

for (const chart of appCharts) {
  const selector = { 'app.kubernetes.io/name': chart.name, 'app.kubernetes.io/instance': chart.name };

  describe(`${chart.name} monitoring`, () => {
    it('renders no Service, monitors or dashboard by default', () => {
      expect(kinds(render(chart.name))).toEqual(['DaemonSet']);
    });

    it('service.enabled: a Service in front of the metrics port', () => {
      const objects = render(chart.name, { set: ['service.enabled=true'] });
      expect(kinds(objects)).toEqual(['DaemonSet', 'Service']);
      const svc = only<Spec>(objects, 'Service');
      expect(svc.spec.selector).toEqual(selector);
      expect(svc.spec.ports).toEqual([{ name: 'metrics', port: chart.port, targetPort: 'metrics', protocol: 'TCP' }]);
      expect(svc.spec.type).toBe('ClusterIP');
    });

    it('serviceMonitor.enabled: a ServiceMonitor, and the Service it needs', () => {
      const objects = render(chart.name, {
        set: ['serviceMonitor.enabled=true', 'serviceMonitor.interval=15s', 'serviceMonitor.labels.release=prom'],
      });
      expect(kinds(objects)).toEqual(['DaemonSet', 'Service', 'ServiceMonitor']);
      const sm = only<Spec>(objects, 'ServiceMonitor');
      const svc = only<Spec>(objects, 'Service');
      expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(sm.metadata.labels?.release).toBe('prom');
      expect(sm.spec.selector?.matchLabels).toEqual(selector);
      // The ServiceMonitor's selector must match the Service's labels.
      expect(svc.metadata.labels).toMatchObject(sm.spec.selector?.matchLabels ?? { missing: true });
      expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['gpio'] });
      expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }]);
    });

    it('podMonitor.enabled: a PodMonitor selecting the pods, no Service', () => {
      const objects = render(chart.name, { valuesFiles: ['ci/monitoring-values.yaml'], set: ['serviceMonitor.enabled=false', 'service.enabled=false', 'prometheusRule.enabled=false'] });
      expect(kinds(objects)).toEqual(['ConfigMap', 'DaemonSet', 'PodMonitor']);
      const pm = only<Spec>(objects, 'PodMonitor');
      expect(pm.metadata.namespace).toBe('monitoring');
      expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['gpio'] });
      expect(daemonSet(objects).spec.template.metadata.labels).toMatchObject(pm.spec.selector?.matchLabels ?? { missing: true });
      expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '1m', scrapeTimeout: '10s' }]);
    });

    it('passes relabelings and metricRelabelings through', () => {
      const sm = only<Spec>(render(chart.name, { valuesFiles: ['ci/monitoring-values.yaml'] }), 'ServiceMonitor');
      const endpoint = (sm.spec.endpoints as Record<string, unknown>[])[0];
      expect(endpoint?.relabelings).toEqual([
        { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance', action: 'replace' },
      ]);
      expect(endpoint?.metricRelabelings).toEqual([{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }]);
    });

    it('metrics.podAnnotations=false drops the prometheus.io annotations', () => {
      const ds = daemonSet(render(chart.name, { set: ['metrics.podAnnotations=false'] }));
      expect(ds.spec.template.metadata.annotations).toBeUndefined();
    });

    it('grafanaDashboard.enabled: a ConfigMap labelled grafana_dashboard=1 holding the dashboard JSON', () => {
      const objects = render(chart.name, { set: ['grafanaDashboard.enabled=true'] });
      expect(kinds(objects)).toEqual(['ConfigMap', 'DaemonSet']);
      const cm = only<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap');
      expect(cm.metadata.name).toBe(`${chart.name}-dashboard`);
      expect(cm.metadata.labels?.grafana_dashboard).toBe('1');
      expect(Object.keys(cm.data)).toEqual([`${chart.name}.json`]);
      const dashboard = JSON.parse(cm.data[`${chart.name}.json`]!) as { uid: string; panels: unknown[] };
      expect(dashboard.uid).toBe(`gpio-fleet-${chart.name}`);
      expect(dashboard.panels.length).toBeGreaterThan(3);
    });
  });
}
