// The Grafana dashboards query metrics the apps really serve, with the node label the charts
// make them carry: each app runs here with the mock backend and NODE_NAME set, as in a pod.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, httpText, start, waitFor, type Started } from '@gpio-fleet/test-tools';
import { appCharts, chartPath, repoRoot } from './support/paths.js';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { name: string; query?: unknown }[] };
}

/** Every expression in the dashboard: panel queries and template variable queries. */
function expressions(d: Dashboard): string[] {
  const vars = d.templating.list.flatMap((v) => (v.query && typeof v.query === 'object' ? [String((v.query as { query: string }).query)] : []));
  return [...d.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...vars];
}

/** Names of the app's metric series an expression reads (the app's prefixes only). */
function seriesNames(expr: string): string[] {
  return [...expr.matchAll(/\b(light_sensor_\w+|traffic_light_\w+|gpio_backend_info)\b/g)].map((m) => m[1]!);
}

// Short timings so every series has a sample within seconds.
const appEnv = {
  'light-sensor': { LIGHT_SENSOR_INTERVAL: '200ms', LIGHT_SENSOR_DISCHARGE: '10ms' },
  'traffic-light': { TRAFFIC_LIGHT_PHASES: 'red:200ms,red+amber:200ms,green:200ms,amber:200ms' },
} as const;

// What each dashboard must show (the list), by the series it reads.
const required = {
  'light-sensor': ['light_sensor_level', 'light_sensor_illuminance_lux', 'light_sensor_readings_total', 'gpio_backend_info'],
  'traffic-light': ['traffic_light_phase', 'traffic_light_phase_lateness_seconds_bucket', 'gpio_backend_info'],
} as const;

const running: Started[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

for (const chart of appCharts) {
  describe(`${chart.name} dashboard`, () => {
    const dashboard = JSON.parse(readFileSync(join(chartPath(chart.name), 'dashboards', `${chart.name}.json`), 'utf8')) as Dashboard;
    const names = [...new Set(expressions(dashboard).flatMap(seriesNames))].sort();

    it('has titled panels, every one with a query, filtered by the node variable', () => {
      expect(dashboard.panels.length).toBeGreaterThanOrEqual(5);
      for (const p of dashboard.panels) {
        expect(p.title).not.toBe('');
        expect(p.targets.length).toBeGreaterThan(0);
        for (const t of p.targets) expect(t.expr).toContain('node=~"$node"');
      }
      expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'node']);
      expect(names).toEqual(expect.arrayContaining([...required[chart.name]]));
    });

    it('queries only series the app serves, each carrying node="<NODE_NAME>"', async () => {
      const cli = join(repoRoot, 'apps', chart.name, 'dist', 'cli.js');
      expect(existsSync(cli), `${cli} missing: build the apps first (npm run build)`).toBe(true);
      const port = await freePort();
      const app = start(process.execPath, [cli, '--gpio', 'mock', '--host', '127.0.0.1', '--port', String(port)], {
        env: { ...process.env, NODE_NAME: 'chart-test-node', ...appEnv[chart.name] },
      });
      running.push(app);
      const url = `http://127.0.0.1:${port}/metrics`;
      // Wait until every queried series has appeared (histograms and phases need a few cycles).
      const text = await waitFor(
        `${names.join(', ')} on ${url}`,
        async () => {
          const body = await httpText(url);
          return body && names.every((n) => new RegExp(`^${n}[{ ]`, 'm').test(body)) ? body : undefined;
        },
        20_000,
        250,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\napp stderr:\n${app.stderr()}`);
      });
      for (const name of names) {
        const lines = text.split('\n').filter((l) => new RegExp(`^${name}[{ ]`).test(l));
        expect(lines.length, name).toBeGreaterThan(0);
        for (const line of lines) expect(line, name).toContain('node="chart-test-node"');
      }
      expect(text).toMatch(/^gpio_backend_info\{[^}]*backend="mock"[^}]*\} 1$/m);
      await app.stop();
    });
  });
}
