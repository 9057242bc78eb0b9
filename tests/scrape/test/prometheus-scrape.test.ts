// A real Prometheus (Debian's) scrapes both apps, each running from its standalone x64
// executable on the mock GPIO, and the HTTP API must report what the mock was told.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeTime, DEFAULT_CALIBRATION, lightLevel } from '@gpio-fleet/gpio';
import { freePort, REPO_ROOT, start, waitFor, type Started } from '@gpio-fleet/test-tools';

const LUX = 250;
const exe = (app: string) => join(REPO_ROOT, 'dist', 'bin', `${app}-linux-x64`);

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

let dir: string;
let prom: Started;
let apps: Started[] = [];
let api: string;
let ports: { light: number; traffic: number };

async function query(q: string): Promise<Series[]> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: Series[] } };
  if (body.status !== 'success') throw new Error(`query ${q} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-prom-'));
  ports = { light: await freePort(), traffic: await freePort() };
  const promPort = await freePort();
  api = `http://127.0.0.1:${promPort}`;
  apps = [
    start(exe('light-sensor'), ['--gpio', 'mock', '--mock-lux', String(LUX), '--interval', '250ms', '--host', '127.0.0.1', '--port', String(ports.light)], {
      env: { ...process.env, NODE_NAME: 'pi-scrape' },
    }),
    start(exe('traffic-light'), ['--gpio', 'mock', '--phases', 'red:1500ms,red+amber:1500ms,green:1500ms,amber:1500ms', '--host', '127.0.0.1', '--port', String(ports.traffic)], {
      env: { ...process.env, NODE_NAME: 'pi-scrape' },
    }),
  ];
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: light-sensor',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${ports.light}']`,
      '  - job_name: traffic-light',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${ports.traffic}']`,
      '',
    ].join('\n'),
  );
  prom = start('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--web.enable-lifecycle',
  ]);
});

afterAll(async () => {
  await Promise.all([...apps.map((a) => a.stop()), prom?.stop()]);
  for (const p of [...apps, prom]) expect(p.child.exitCode !== null || p.child.signalCode !== null).toBe(true);
  rmSync(dir, { recursive: true, force: true });
});

describe('Prometheus scraping both apps', () => {
  it('reports both targets up', async () => {
    const targets = await waitFor(
      'both targets to be up',
      async () => {
        for (const p of [prom, ...apps]) if (p.child.exitCode !== null) throw new Error(`a process exited early:\n${p.stderr()}`);
        const res = await fetch(`${api}/api/v1/targets`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const body = (await res.json()) as { data: { activeTargets: { labels: { job: string }; health: string }[] } };
        const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job).sort();
        return up.length === 2 ? up : undefined;
      },
      60_000,
      250,
    );
    expect(targets).toEqual(['light-sensor', 'traffic-light']);
  });

  it('light level and lux match the lux the mock was given', async () => {
    const [lux] = await waitFor('a lux sample', async () => {
      const r = await query('light_sensor_illuminance_lux');
      return r.length > 0 && Number.isFinite(Number(r[0]!.value[1])) ? r : undefined;
    }, 30_000, 250);
    expect(lux!.metric).toMatchObject({ job: 'light-sensor', node: 'pi-scrape' });
    expect(Math.abs(Number(lux!.value[1]) / LUX - 1)).toBeLessThan(0.05);
    const [level] = await query('light_sensor_level');
    const expected = lightLevel(chargeTime(LUX, DEFAULT_CALIBRATION), 0.01);
    expect(Number(level!.value[1])).toBeCloseTo(expected, 2);
    const [info] = await query('gpio_backend_info{job="light-sensor"}');
    expect(info!.metric).toMatchObject({ backend: 'mock', pin: 'BCM4' });
  });

  it('traffic_light_phase shows exactly one active phase, and the phase changes over time', async () => {
    const seen = new Set<string>();
    await waitFor(
      'three different phases',
      async () => {
        const active = await query('traffic_light_phase == 1');
        expect(active).toHaveLength(1);
        seen.add(active[0]!.metric.phase!);
        return seen.size >= 3 ? true : undefined;
      },
      60_000,
      500,
    );
    expect([...seen].every((p) => ['red', 'red_amber', 'green', 'amber'].includes(p))).toBe(true);
    const changes = await query('changes(traffic_light_phase{phase="red"}[1m])');
    expect(Number(changes[0]!.value[1])).toBeGreaterThan(0);
  });
});
