// `npm run build:charts`: helm package + helm repo index. The packages must install on their own
// (the library is inside them), and build:charts refuses stale generated parts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCharts } from '../scripts/build-charts.mjs';
import { helm } from './support/helm.js';
import { chartsDir } from './support/paths.js';

describe('build:charts', () => {
  const out = mkdtempSync(join(tmpdir(), 'charts-dist-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const built = buildCharts({ out, log: () => undefined });

  it('writes one package per chart and an index listing them', () => {
    expect(readdirSync(out).sort()).toEqual(['gpio-device-plugin-0.1.0.tgz', 'index.yaml', 'light-sensor-0.1.0.tgz', 'traffic-light-0.1.0.tgz']);
    expect(built.packages.map((p: string) => p.split('/').at(-1)).sort()).toEqual(['gpio-device-plugin-0.1.0.tgz', 'light-sensor-0.1.0.tgz', 'traffic-light-0.1.0.tgz']);
    const index = parse(readFileSync(join(out, 'index.yaml'), 'utf8')) as {
      apiVersion: string;
      entries: Record<string, { version: string; appVersion: string; urls: string[]; digest: string }[]>;
    };
    expect(index.apiVersion).toBe('v1');
    expect(Object.keys(index.entries).sort()).toEqual(['gpio-device-plugin', 'light-sensor', 'traffic-light']);
    for (const name of ['gpio-device-plugin', 'light-sensor', 'traffic-light']) {
      expect(index.entries[name]).toHaveLength(1);
      expect(index.entries[name]![0]).toMatchObject({ version: '0.1.0', appVersion: '0.1.0', urls: [`${name}-0.1.0.tgz`] });
      expect(index.entries[name]![0]!.digest).toMatch(/^[a-f0-9]{64}$/);
    }
  });

  it('packages the library, schema, dashboard and ci values inside each chart', () => {
    const list = spawnSync('tar', ['-tzf', join(out, 'light-sensor-0.1.0.tgz')], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    const files = list.stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'light-sensor/Chart.yaml',
        'light-sensor/values.schema.json',
        'light-sensor/dashboards/light-sensor.json',
        'light-sensor/ci/default-values.yaml',
        'light-sensor/Chart.lock',
        'light-sensor/charts/gpio-fleet-common/templates/_daemonset.tpl',
      ]),
    );
    // helm unpacks the library archive into the package; the sources of the shared values
    // stay out (charts/gpio-fleet-common/.helmignore).
    expect(files.filter((f) => f.startsWith('light-sensor/charts/') && !f.startsWith('light-sensor/charts/gpio-fleet-common/'))).toEqual([]);
    expect(files.filter((f) => f.includes('/values/'))).toEqual([]);
  });

  it('refuses to package while a generated part is stale, naming the command', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'charts-stale-'));
    const charts = join(scratch, 'charts');
    cpSync(chartsDir, charts, { recursive: true });
    const values = join(charts, 'light-sensor', 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace('  pullPolicy: IfNotPresent', '  pullPolicy: Always'));
    try {
      expect(() => buildCharts({ out: join(scratch, 'out'), root: charts, log: () => undefined })).toThrow(
        /charts\/light-sensor\/values.yaml: shared values are stale[\s\S]*run: npm run charts:generate/,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('renders from the package alone', () => {
    const res = helm(['template', 'light-sensor', join(out, 'light-sensor-0.1.0.tgz')]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('kind: DaemonSet');
    expect(existsSync(join(out, 'traffic-light-0.1.0.tgz'))).toBe(true);
  });
});
