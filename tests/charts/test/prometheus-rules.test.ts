// The alerts: a PrometheusRule in each chart (prometheusRule.enabled), the same rules with the
// default values in deploy/prometheus/gpio-fleet.rules.yaml, both checked by Prometheus' own
// promtool: `check rules` on every render, `test rules` on the committed unit tests, which make
// each alert fire on a synthetic series and resolve when the series recovers.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCommand } from '@gpio-fleet/test-tools/provision';
import { rulesFile, rulesStatus } from '../scripts/prometheus-rules.mjs';
import { only, render, type K8sObject, type RenderOptions } from './support/helm.js';
import { appCharts, chartPath, repoRoot } from './support/paths.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: Rule[];
}
type PrometheusRule = K8sObject & { spec: { groups: RuleGroup[] } };

/** Every alert of each chart, as the issue that asked for them names them. */
const ALERTS: Record<string, string[]> = {
  'light-sensor': ['LightSensorDown', 'GpioBackendSimulated', 'LightSensorNoReadings', 'LightSensorTimeouts', 'LightSensorStuck'],
  'traffic-light': ['TrafficLightDown', 'GpioBackendSimulated', 'TrafficLightLate', 'TrafficLightStopped'],
};

const promtool = ensureCommand('promtool', 'prometheus');
const scratch = mkdtempSync(join(tmpdir(), 'chart-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

function promtoolRun(args: string[]): { status: number | null; output: string } {
  const res = spawnSync(promtool, args, { encoding: 'utf8', cwd: repoRoot });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** `promtool check rules` on rule groups, written to a file as Prometheus would load them. */
function checkRules(groups: RuleGroup[]): { status: number | null; output: string } {
  const file = join(scratch, `rules-${++files}.yaml`);
  writeFileSync(file, stringify({ groups }));
  return promtoolRun(['check', 'rules', file]);
}

const prometheusRule = (chart: string, options: RenderOptions = {}): PrometheusRule =>
  only<PrometheusRule>(render(chart, { ...options, set: ['prometheusRule.enabled=true', ...(options.set ?? [])] }), 'PrometheusRule');

const rulesOf = (pr: PrometheusRule): Rule[] => pr.spec.groups.flatMap((g) => g.rules);

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

for (const chart of appCharts) {
  describe(`${chart.name} PrometheusRule`, () => {
    it('is off by default, and on with prometheusRule.enabled: namespace and labels as for the monitors', () => {
      expect(render(chart.name).some((o) => o.kind === 'PrometheusRule')).toBe(false);
      const pr = prometheusRule(chart.name, { set: ['prometheusRule.namespace=monitoring', 'prometheusRule.labels.release=prom', 'commonLabels.team=iot'] });
      expect(pr.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(pr.metadata).toMatchObject({ name: chart.name, namespace: 'monitoring' });
      expect(pr.metadata.labels).toMatchObject({ release: 'prom', team: 'iot', 'app.kubernetes.io/name': chart.name });
      expect(prometheusRule(chart.name).metadata.namespace).toBe('gpio');
    });

    it('has the alerts asked for, each with a severity, a summary, a description and a runbook', () => {
      const rules = rulesOf(prometheusRule(chart.name));
      expect(rules.map((r) => r.alert)).toEqual(ALERTS[chart.name]);
      for (const r of rules) {
        expect(Object.keys(r.annotations).sort(), r.alert).toEqual(['description', 'runbook_url', 'summary']);
        expect(r.labels, r.alert).toEqual({ severity: expect.stringMatching(/^(warning|critical)$/), app: chart.name });
        expect(r.expr, r.alert).toContain('job="');
      }
    });

    it('points every runbook_url at a section of the chart README that has the alert as its heading', () => {
      const readme = readFileSync(join(chartPath(chart.name), 'README.md'), 'utf8');
      const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => anchor(m[1]!)));
      for (const r of rulesOf(prometheusRule(chart.name))) {
        const url = new URL(r.annotations.runbook_url!);
        expect(`${url.origin}${url.pathname}`).toBe(`https://github.com/gpio-fleet/gpio-fleet/blob/main/charts/${chart.name}/README.md`);
        expect(url.hash, r.alert).toBe(`#${r.alert.toLowerCase()}`);
        expect(anchors.has(url.hash.slice(1)), `README.md has no "### ${r.alert}" section`).toBe(true);
      }
    });

    it('takes its thresholds from values', () => {
      const ci = prometheusRule(chart.name, { valuesFiles: ['ci/monitoring-values.yaml'] });
      const values = parse(readFileSync(join(chartPath(chart.name), 'ci', 'monitoring-values.yaml'), 'utf8')) as { alerts: Record<string, Record<string, unknown>> };
      const text = JSON.stringify(rulesOf(ci));
      // Every threshold the scenario changes shows up in the rules, and no default is left.
      for (const [alert, settings] of Object.entries(values.alerts)) for (const v of Object.values(settings)) expect(text, `alerts.${alert}`).toContain(String(v));
      const defaults = rulesOf(prometheusRule(chart.name));
      for (const [i, r] of rulesOf(ci).entries()) {
        expect(r.expr, r.alert).not.toEqual(defaults[i]!.expr);
        expect(r.expr, r.alert).toContain(`job="gpio/${chart.name}",namespace="gpio"`);
        expect(r.annotations.runbook_url, r.alert).toBe(`https://wiki.example.com/runbooks/${chart.name}#${r.alert.toLowerCase()}`);
      }
      expect(rulesOf(ci).find((r) => r.alert.endsWith('Down'))?.for).toBe('10m');
      expect(rulesOf(ci).find((r) => r.alert === 'GpioBackendSimulated')?.expr).toContain('kube_node_labels{label_example_com_board="rpi4"}');
    });

    it('follows nameOverride in the job it selects', () => {
      expect(rulesOf(prometheusRule(chart.name, { set: ['nameOverride=lab'] }))[0]!.expr).toBe('up{job="lab"} == 0');
    });

    it.each(readdirSync(join(chartPath(chart.name), 'ci')).filter((f) => f.endsWith('-values.yaml')))('promtool check rules accepts the rules of ci/%s', (file) => {
      const res = checkRules(prometheusRule(chart.name, { valuesFiles: [`ci/${file}`] }).spec.groups);
      expect(res.status, res.output).toBe(0);
      expect(res.output).toContain(`SUCCESS: ${ALERTS[chart.name]!.length} rules found`);
    });
  });
}

describe('promtool itself', () => {
  it('refuses a broken expression and a bad duration (so a pass means something)', () => {
    const rules = rulesOf(prometheusRule('light-sensor'));
    const broken = checkRules([{ name: 'x', rules: [{ ...rules[0]!, expr: 'up{job="light-sensor" == 0' }] }]);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toMatch(/unexpected|parse error/i);
    const badFor = checkRules([{ name: 'x', rules: [{ ...rules[0]!, for: 'soon' }] }]);
    expect(badFor.status).not.toBe(0);
  });
});

describe('deploy/prometheus/gpio-fleet.rules.yaml', () => {
  const file = parse(readFileSync(rulesFile, 'utf8')) as { groups: RuleGroup[] };

  it("holds exactly the charts' rules with their default values", () => {
    expect(rulesStatus()).toEqual([]);
    expect(file.groups).toEqual(appCharts.flatMap((c) => prometheusRule(c.name).spec.groups));
  });

  it('is noticed when it differs from the charts (and the message names the fix)', () => {
    const copy = join(scratch, 'stale.rules.yaml');
    cpSync(rulesFile, copy);
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('> 0.5', '> 0.6'));
    expect(rulesStatus(undefined, copy)).toEqual(["deploy/prometheus/gpio-fleet.rules.yaml: differs from the charts' PrometheusRule"]);
  });

  it('passes promtool check rules', () => {
    const res = promtoolRun(['check', 'rules', rulesFile]);
    expect(res.status, res.output).toBe(0);
  });

  const testsDir = join(repoRoot, 'deploy', 'prometheus', 'tests');
  const testFiles = readdirSync(testsDir).filter((f) => f.endsWith('.test.yaml'));

  it.each(testFiles)('passes the promtool unit tests in deploy/prometheus/tests/%s', (name) => {
    const res = promtoolRun(['test', 'rules', join(testsDir, name)]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('SUCCESS');
  });

  it('has a unit test for every alert that sees it fire, and then resolve', () => {
    interface AlertTest {
      eval_time: string;
      alertname: string;
      exp_alerts: { exp_labels: Record<string, string> }[];
    }
    const minutes = (t: string) => Number(/^(\d+)m$/.exec(t)?.[1] ?? NaN);
    const cases = testFiles.flatMap((name) => {
      const doc = parse(readFileSync(join(testsDir, name), 'utf8')) as { rule_files: string[]; tests: { alert_rule_test: AlertTest[] }[] };
      expect(doc.rule_files).toEqual(['../gpio-fleet.rules.yaml']);
      return doc.tests.flatMap((t, i) => t.alert_rule_test.map((c) => ({ ...c, file: name, test: i })));
    });
    for (const group of file.groups) {
      for (const rule of group.rules) {
        // Within one test: an alert (one label set) seen firing at one time and gone later.
        const own = cases.filter((c) => c.alertname === rule.alert && c.file === `${group.name}.test.yaml`).sort((a, b) => minutes(a.eval_time) - minutes(b.eval_time));
        const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
        const firedAndResolved = own.some((c) =>
          c.exp_alerts.some((a) => own.some((later) => later.test === c.test && minutes(later.eval_time) > minutes(c.eval_time) && !later.exp_alerts.some((b) => key(b.exp_labels) === key(a.exp_labels)))),
        );
        expect(own.some((c) => c.exp_alerts.length > 0), `${group.name} ${rule.alert}: no test sees it fire`).toBe(true);
        expect(firedAndResolved, `${group.name} ${rule.alert}: no test sees it resolve after firing`).toBe(true);
      }
    }
  });
});
