// Every ci/<scenario>-values.yaml renders, and every object it renders is valid against the
// Kubernetes OpenAPI schema (or the prometheus-operator CRD schema) with no unknown fields.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from './support/helm.js';
import { validationErrors } from './support/k8s-schema.js';
import { appCharts, chartPath } from './support/paths.js';

// Each chart must cover these configurations with a ci/ file.
const requiredScenarios = [
  'default',
  'privileged-gpiochip',
  'privileged-pigpio',
  'privileged-onoff',
  'none',
  'monitoring',
  'digest',
  'tolerations',
  'network-policy',
  'mqtt',
];

// What a scenario renders besides the DaemonSet (the others render only the DaemonSet).
const expectedKinds: Record<string, string[]> = {
  monitoring: ['ConfigMap', 'DaemonSet', 'PodMonitor', 'PrometheusRule', 'Service', 'ServiceMonitor'],
  'network-policy': ['DaemonSet', 'NetworkPolicy'],
  mqtt: ['DaemonSet', 'NetworkPolicy'],
};

for (const chart of appCharts) {
  const files = readdirSync(join(chartPath(chart.name), 'ci')).filter((f) => f.endsWith('-values.yaml'));

  describe(`${chart.name} ci scenarios`, () => {
    it('has a values file for every configuration that matters', () => {
      const names = files.map((f) => f.replace(/-values\.yaml$/, ''));
      expect(names).toEqual(expect.arrayContaining(requiredScenarios));
    });

    it.each(files)('ci/%s renders objects valid against the OpenAPI schema, with no unknown fields', (file) => {
      const objects = render(chart.name, { valuesFiles: [`ci/${file}`] });
      expect(objects.filter((o) => o.kind === 'DaemonSet')).toHaveLength(1);
      const errors = objects.flatMap(validationErrors);
      expect(errors).toEqual([]);
      expect(objects.map((o) => o.kind).sort()).toEqual(expectedKinds[file.replace(/-values\.yaml$/, '')] ?? ['DaemonSet']);
    });
  });
}
