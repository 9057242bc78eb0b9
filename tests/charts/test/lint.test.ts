// helm lint --strict: on each chart with its defaults, and with every ci/ scenario.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_VERSION } from '@gpio-fleet/test-tools/provision';
import { describe, expect, it } from 'vitest';
import { helm } from './support/helm.js';
import { appCharts, chartPath, libraryChart } from './support/paths.js';

describe('helm lint --strict', () => {
  it('passes on both charts together, as users run it', () => {
    const res = helm(['lint', '--strict', chartPath('light-sensor'), chartPath('traffic-light')]);
    expect(res.stderr + res.stdout).toContain('2 chart(s) linted, 0 chart(s) failed');
    expect(res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(res.status).toBe(0);
  });

  it('passes on the library chart', () => {
    const res = helm(['lint', '--strict', chartPath(libraryChart)]);
    expect(res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it(`runs the pinned helm ${HELM_VERSION}, built like a release (default Kubernetes version of its client libraries)`, () => {
    expect(helm(['version', '--short']).stdout).toMatch(new RegExp(`^${HELM_VERSION.replace(/\./g, '\\.')}`));
    // Without the release ldflags helm would assume Kubernetes 1.20 and reject kubeVersion >=1.25.
    const res = helm(['template', 'x', chartPath('light-sensor'), '--show-only', 'templates/daemonset.yaml']);
    expect(res.status, res.stderr).toBe(0);
  });

  for (const chart of appCharts) {
    const scenarios = readdirSync(join(chartPath(chart.name), 'ci')).filter((f) => f.endsWith('-values.yaml'));
    it.each(scenarios)(`${chart.name} with ci/%s`, (file) => {
      const res = helm(['lint', '--strict', chartPath(chart.name), '--values', join(chartPath(chart.name), 'ci', file)]);
      expect(res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(res.status, res.stdout + res.stderr).toBe(0);
    });
  }
});
