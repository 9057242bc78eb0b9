// kube-score, a peer's checker, on every ci/*-values.yaml render: no critical except the checks
// the chart ignores on purpose, each named in the DaemonSet's kube-score/ignore annotation only
// while its reason holds, and each reason written in the values documentation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonSet } from './support/daemonset.js';
import { helm, render } from './support/helm.js';
import { criticals, GRADE, kubeScore } from './support/kube-score.js';
import { appCharts, chartPath } from './support/paths.js';

function manifests(chart: string, valuesFile: string): string {
  const res = helm(['template', chart, chartPath(chart), '--namespace', 'gpio', '--values', join(chartPath(chart), valuesFile)]);
  if (res.status !== 0) throw new Error(`helm template ${chart} -f ${valuesFile}: ${res.stderr}`);
  return res.stdout;
}

const ignoresOf = (chart: string, valuesFile: string): string[] =>
  (daemonSet(render(chart, { valuesFiles: [valuesFile] })).metadata.annotations?.['kube-score/ignore'] ?? '').split(',').filter(Boolean).sort();

const failedIds = (checks: ReturnType<typeof kubeScore>): string[] => [...new Set(checks.filter((c) => !c.skipped && c.grade === GRADE.critical).map((c) => c.id))].sort();

for (const chart of appCharts) {
  const files = readdirSync(join(chartPath(chart.name), 'ci')).filter((f) => f.endsWith('-values.yaml'));
  const values = readFileSync(join(chartPath(chart.name), 'values.yaml'), 'utf8');

  describe(`${chart.name}: kube-score`, () => {
    it.each(files)('ci/%s: no critical', (file) => {
      expect(criticals(kubeScore(manifests(chart.name, `ci/${file}`)))).toEqual([]);
    });

    it.each(files)('ci/%s: without the annotation, exactly the ignored checks fail, each explained in values.yaml', (file) => {
      const ignored = ignoresOf(chart.name, `ci/${file}`);
      expect(failedIds(kubeScore(manifests(chart.name, `ci/${file}`), ['--disable-ignore-checks-annotations']))).toEqual(ignored);
      for (const id of ignored) expect(values, `values.yaml gives no reason for ignoring ${id}`).toContain(`kube-score/ignore: ${id}`);
    });

    it.each(files)('ci/%s: ignoring container-resources hides only the missing CPU limit (memory and ephemeral storage pass)', (file) => {
      const checks = kubeScore(manifests(chart.name, `ci/${file}`), ['--disable-ignore-checks-annotations', '--ignore-container-cpu-limit']);
      for (const id of ['container-resources', 'container-ephemeral-storage-request-and-limit']) {
        expect(checks.filter((c) => c.id === id).map((c) => [c.grade, c.comments]), id).toEqual([[GRADE.allOk, []]]);
      }
    });
  });
}

describe('the ignore annotation follows the values', () => {
  it('lists a check only while its reason holds', () => {
    expect(ignoresOf('light-sensor', 'ci/default-values.yaml')).toEqual(['container-image-pull-policy', 'container-resources', 'pod-networkpolicy']);
    // digest-values.yaml pulls Always; network-policy-values.yaml sets a CPU limit and a policy.
    expect(ignoresOf('light-sensor', 'ci/digest-values.yaml')).toEqual(['container-resources', 'pod-networkpolicy']);
    expect(ignoresOf('light-sensor', 'ci/network-policy-values.yaml')).toEqual(['container-image-pull-policy']);
    expect(ignoresOf('light-sensor', 'ci/privileged-gpiochip-values.yaml')).toEqual(['container-image-pull-policy', 'container-resources', 'container-security-context-privileged', 'pod-networkpolicy']);
    expect(ignoresOf('light-sensor', 'ci/privileged-pigpio-values.yaml')).toEqual([
      'container-image-pull-policy',
      'container-resources',
      'container-security-context-privileged',
      'container-security-context-user-group-id',
      'pod-networkpolicy',
    ]);
  });

  it('kube-score reads it: the default render fails its checks when the annotation is gone', () => {
    const checks = kubeScore(manifests('light-sensor', 'ci/default-values.yaml').replace(/^\s*kube-score\/ignore: .*$/m, ''));
    expect(failedIds(checks)).toEqual(['container-image-pull-policy', 'container-resources', 'pod-networkpolicy']);
  });
});
