// `npm run build:charts`: helm package + helm repo index. The packages must install on their own
// (the library is inside them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCharts } from '../scripts/build-charts.mjs';
import { helm } from './support/helm.js';

describe('build:charts', () => {
  const out = mkdtempSync(join(tmpdir(), 'charts-dist-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const built = buildCharts({ out, log: () => {} });

  it('writes one package per app chart and an index listing both', () => {
    expect(readdirSync(out).sort()).toEqual(['index.yaml', 'light-sensor-0.1.0.tgz', 'traffic-light-0.1.0.tgz']);
    expect(built.packages.map((p: string) => p.split('/').at(-1)).sort()).toEqual(['light-sensor-0.1.0.tgz', 'traffic-light-0.1.0.tgz']);
    const index = parse(readFileSync(join(out, 'index.yaml'), 'utf8')) as {
      apiVersion: string;
      entries: Record<string, { version: string; appVersion: string; urls: string[]; digest: string }[]>;
    };
    expect(index.apiVersion).toBe('v1');
    expect(Object.keys(index.entries).sort()).toEqual(['light-sensor', 'traffic-light']);
    for (const name of ['light-sensor', 'traffic-light']) {
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
        'light-sensor/charts/gpio-fleet-common/templates/_daemonset.tpl',
      ]),
    );
  });

  it('renders from the package alone', () => {
    const res = helm(['template', 'light-sensor', join(out, 'light-sensor-0.1.0.tgz')]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('kind: DaemonSet');
    expect(existsSync(join(out, 'traffic-light-0.1.0.tgz'))).toBe(true);
  });
});
