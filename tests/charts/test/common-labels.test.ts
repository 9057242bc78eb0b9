// commonLabels: on every object the chart renders and on its pods, never in a selector (a
// DaemonSet's selector cannot change, and a Service or monitor selecting by them would miss pods
// rendered before they were set). The chart's own labels and each object's extra labels win.
import { describe, expect, it } from 'vitest';
import { daemonSet } from './support/daemonset.js';
import { only, render, type K8sObject } from './support/helm.js';
import { validationErrors } from './support/k8s-schema.js';
import { appCharts } from './support/paths.js';

type WithSelector = K8sObject & { spec: { selector?: Record<string, unknown> & { matchLabels?: Record<string, string> } } };
const everything = ['service.enabled=true', 'serviceMonitor.enabled=true', 'podMonitor.enabled=true', 'grafanaDashboard.enabled=true'];

for (const chart of appCharts) {
  const selector = { 'app.kubernetes.io/name': chart.name, 'app.kubernetes.io/instance': chart.name };

  describe(`${chart.name} commonLabels`, () => {
    const objects = render(chart.name, { set: [...everything, 'commonLabels.team=iot', 'commonLabels.example\\.com/site=berlin-1'] });

    it('are on every object and on the pods, and the objects stay valid', () => {
      expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'DaemonSet', 'PodMonitor', 'Service', 'ServiceMonitor']);
      for (const o of objects) expect(o.metadata.labels, o.kind).toMatchObject({ team: 'iot', 'example.com/site': 'berlin-1' });
      expect(daemonSet(objects).spec.template.metadata.labels).toMatchObject({ team: 'iot', 'example.com/site': 'berlin-1' });
      expect(objects.flatMap(validationErrors)).toEqual([]);
    });

    it('are in no selector', () => {
      expect(daemonSet(objects).spec.selector).toEqual({ matchLabels: selector });
      expect(only<WithSelector>(objects, 'Service').spec.selector).toEqual(selector);
      expect(only<WithSelector>(objects, 'ServiceMonitor').spec.selector).toEqual({ matchLabels: selector });
      expect(only<WithSelector>(objects, 'PodMonitor').spec.selector).toEqual({ matchLabels: selector });
    });

    it("lose to the chart's own labels and to each object's extra labels", () => {
      const labelled = render(chart.name, {
        set: [
          ...everything,
          'commonLabels.app\\.kubernetes\\.io/name=other',
          'commonLabels.app\\.kubernetes\\.io/instance=other',
          'commonLabels.grafana_dashboard=off',
          'commonLabels.team=common',
          'podLabels.team=pod',
          'service.labels.team=service',
          'serviceMonitor.labels.team=service-monitor',
          'grafanaDashboard.labels.team=dashboard',
        ],
      });
      const team = Object.fromEntries(labelled.map((o) => [o.kind, o.metadata.labels?.team]));
      expect(team).toEqual({ DaemonSet: 'common', Service: 'service', ServiceMonitor: 'service-monitor', PodMonitor: 'common', ConfigMap: 'dashboard' });
      const ds = daemonSet(labelled);
      expect(ds.spec.template.metadata.labels.team).toBe('pod');
      for (const o of labelled) expect(o.metadata.labels, o.kind).toMatchObject(selector);
      expect(ds.spec.template.metadata.labels).toMatchObject(selector);
      expect(only(labelled, 'ConfigMap').metadata.labels?.grafana_dashboard).toBe('1');
    });
  });
}
