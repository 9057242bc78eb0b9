// The built traffic-light, run as a user runs it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appCli,
  filterFamilies,
  httpText,
  logRecords,
  parseSamples,
  promtoolCheckMetrics,
  readme,
  sampleValue,
  start,
  startApp,
  waitFor,
} from '@gpio-fleet/test-tools';
import { parsePhases } from '../src/phases.js';
import { VERSION } from '../src/version.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [appCli('traffic-light'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });

describe('--phases', () => {
  it('parses the original sequence and variants', () => {
    expect(parsePhases('red:3s,red+amber:1s,green:5s,amber:2s').map((p) => [p.name, p.seconds])).toEqual([
      ['red', 3],
      ['red_amber', 1],
      ['green', 5],
      ['amber', 2],
    ]);
    expect(parsePhases('yellow+red:500ms,off:1').map((p) => [p.name, p.seconds])).toEqual([
      ['red_amber', 0.5],
      ['off', 1],
    ]);
  });
});

describe('traffic-light --cycles 1 on the mock (the original sequence)', () => {
  it('logs the four phases in order on an 11 s schedule, ends with all lamps off, exits 0', () => {
    const t0 = Date.now();
    const r = run(['--gpio', 'mock', '--cycles', '1', '--port', '0']);
    const elapsed = (Date.now() - t0) / 1000;
    expect(r.status, r.stderr).toBe(0);
    expect(elapsed).toBeGreaterThan(10.9);
    const records = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const phases = records.filter((x) => x.msg === 'phase');
    expect(phases.map((p) => p.phase)).toEqual(['red', 'red_amber', 'green', 'amber']);
    // Boundaries anchored to the start: 0, 3, 4, 9 s (log times have ms resolution).
    const times = phases.map((p) => Date.parse(String(p.time)));
    expect(times.map((t) => Math.round((t - times[0]!) / 100) / 10)).toEqual([0, 3, 4, 9]);
    expect(records.slice(-2).map((x) => x.msg)).toEqual(['all lamps off', 'stopped']);
    expect(records.at(-1)?.steps).toEqual(expect.arrayContaining(['switch lamps off', 'release GPIO']));
  }, 30_000);
});

describe('traffic-light --once (lamp check)', () => {
  it('shows the first phase for its duration, prints one JSON line, ends dark', () => {
    const t0 = Date.now();
    const r = run(['--gpio', 'mock', '--once', '--phases', 'red+amber:300ms,green:5s']);
    expect(r.status, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      backend: 'mock',
      phase: 'red_amber',
      lamps: ['red', 'amber'],
      seconds: 0.3,
      pins: { red: 'BCM9', amber: 'BCM10', green: 'BCM11' },
      litAtEnd: ['red', 'amber'],
    });
    const records = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.slice(-2).map((x) => x.msg)).toEqual(['all lamps off', 'stopped']);
  });
});

describe('traffic-light command line', () => {
  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(run(['--version']).stdout.trim()).toBe(`traffic-light ${pkg.version} (node ${process.version}, linux/${process.arch})`);
    const help = run(['--help']).stdout;
    for (const s of ['--red', '--amber', '--green', '--phases', '--cycles', '--gpio', '--port', 'TRAFFIC_LIGHT_RED_PIN', 'TRAFFIC_LIGHT_PHASES']) expect(help).toContain(s);
  });

  it.each([
    [['--red', 'WPI12'], {}, /--red "WPI12" and --amber "WPI12" are the same pin \(BCM10\)/],
    [['--green', 'BOARD19'], {}, /--amber "WPI12" and --green "BOARD19" are the same pin/],
    [['--red', 'BOARD9'], {}, /"BOARD9".*GND/],
    [['--phases', 'red:3s,blue:1s'], {}, /"blue" in "blue:1s" is not a lamp/],
    [['--phases', 'red:-3s'], {}, /"-3s" in "red:-3s" is not a positive duration/],
    [['--phases', 'red'], {}, /"red" is not <lamps>:<duration>/],
    [['--phases', 'red:1s,,green:1s'], {}, /empty phase/],
    [['--cycles', '-1'], {}, /--cycles value "-1"/],
    [['--cycles', 'two'], {}, /--cycles value "two"/],
    [['--gpio', 'nonsense'], {}, /--gpio value "nonsense"/],
    [['--colour', 'red'], {}, /unknown flag "--colour"/],
    [[], { TRAFFIC_LIGHT_GREEN_PIN: 'WPI99' }, /env TRAFFIC_LIGHT_GREEN_PIN value "WPI99"/],
  ])('%j %j exits 2 naming the value', (args, env, message) => {
    const r = run(args as string[], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('traffic-light service on the mock', () => {
  it('serves the metrics contract with exactly one active phase, passes promtool', async () => {
    const { proc, url } = await startApp('traffic-light', ['--gpio', 'mock', '--phases', 'red:300ms,red+amber:100ms,green:300ms,amber:200ms'], { NODE_NAME: 'pi-7' });
    try {
      await waitFor('readiness', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
      const seen = new Set<string>();
      let metrics = '';
      await waitFor('every phase to show up in /metrics', async () => {
        metrics = (await httpText(`${url}/metrics`)) ?? '';
        const active = parseSamples(metrics).filter((s) => s.name === 'traffic_light_phase' && s.value === 1);
        expect(active).toHaveLength(1);
        seen.add(active[0]!.labels.phase!);
        return seen.size === 4 ? true : undefined;
      }, 10_000, 20);
      await waitFor('a completed cycle', async () => {
        metrics = (await httpText(`${url}/metrics`)) ?? '';
        return sampleValue(metrics, 'traffic_light_cycles_total')! >= 1 ? true : undefined;
      });
      expect(sampleValue(metrics, 'traffic_light_cycles_total', { node: 'pi-7' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(metrics, 'traffic_light_phase_lateness_seconds_count')).toBeGreaterThanOrEqual(4);
      for (const lamp of ['red', 'amber', 'green']) expect(sampleValue(metrics, 'traffic_light_lamp_on', { lamp })).toBeDefined();
      for (const pin of ['BCM9', 'BCM10', 'BCM11']) expect(sampleValue(metrics, 'gpio_backend_info', { backend: 'mock', pin })).toBe(1);
      for (const family of filterFamilies(metrics, ['traffic_light_', 'gpio_backend_']).matchAll(/^# TYPE (\S+)/gm)) expect(readme('apps/traffic-light/README.md'), `README documents ${family[1]}`).toContain(`\`${family[1]}`);
      const check = promtoolCheckMetrics(filterFamilies(metrics, ['traffic_light_', 'gpio_backend_']));
      expect(check.output).toBe('');
      expect(check.ok).toBe(true);
    } finally {
      await proc.stop();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s mid-phase: lamps off, pins released, exit 0 within 1 s', async (signal) => {
    const { proc } = await startApp('traffic-light', ['--gpio', 'mock']);
    try {
      await waitFor('the first phase', () => (logRecords(proc).some((r) => r.msg === 'phase') ? true : undefined));
      const t0 = Date.now();
      proc.child.kill(signal);
      const { code } = await proc.exited;
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(code).toBe(0);
      const msgs = logRecords(proc).map((r) => r.msg);
      expect(msgs.slice(-3)).toEqual(['shutting down', 'all lamps off', 'stopped']);
      expect(logRecords(proc).at(-1)?.steps).toEqual(expect.arrayContaining(['switch lamps off', 'release GPIO']));
    } finally {
      await proc.stop();
    }
  });

  it('a second signal during shutdown does not cut the cleanup short', async () => {
    const p = start(process.execPath, [appCli('traffic-light'), '--gpio', 'mock', '--port', '0']);
    await waitFor('the first phase', () => (logRecords(p).some((r) => r.msg === 'phase') ? true : undefined));
    p.child.kill('SIGTERM');
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    expect(code).toBe(0);
    expect(logRecords(p).map((r) => r.msg)).toContain('all lamps off');
  });
});
