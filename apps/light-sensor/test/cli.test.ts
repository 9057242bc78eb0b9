// The built light-sensor, run as a user runs it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appCli,
  filterFamilies,
  httpText,
  logRecords,
  promtoolCheckMetrics,
  readme,
  sampleValue,
  startApp,
  waitFor,
} from '@gpio-fleet/test-tools';
import { VERSION } from '../src/version.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [appCli('light-sensor'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });

describe('light-sensor --once on the mock', () => {
  it.each([
    [1, 49.9e-3],
    [100, 1.99e-3],
    [1000, 0.4e-3],
  ])('at %s lux prints one JSON line within ±5 %% (t = %s s)', (lux, t) => {
    const r = run(['--gpio', 'mock', '--mock-lux', String(lux), '--once']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['backend', 'chargeSeconds', 'level', 'lux', 'pin', 'timedOut']);
    expect(out).toMatchObject({ pin: 'BCM4', backend: 'mock', timedOut: false });
    expect(Math.abs((out.lux as number) / lux - 1)).toBeLessThan(0.05);
    expect(Math.abs((out.chargeSeconds as number) / t - 1)).toBeLessThan(0.05);
  });

  it('a disconnected LDR is flagged as a timeout with exit 1, not a made-up value', () => {
    const r = run(['--gpio', 'mock', '--mock-fault', 'disconnected', '--timeout', '200ms', '--once']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ timedOut: true, chargeSeconds: null, lux: null, level: null });
  });

  it('auto selects the mock on this non-Pi machine and says why', () => {
    const r = run(['--gpio', 'auto', '--once']);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { backend: string }).backend).toBe('mock');
    expect(r.stderr).toMatch(/auto: not a Raspberry Pi/);
  });
});

describe('light-sensor command line', () => {
  it('--version prints the app version, Node version and arch', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const r = run(['--version']);
    expect(r.stdout.trim()).toBe(`light-sensor ${pkg.version} (node ${process.version}, linux/${process.arch})`);
  });

  it('--help documents every flag with its env var', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--pin', '--interval', '--discharge', '--timeout', '--charge-time-limit', '--queue-len', '--pull', '--log-delta', '--once', '--r10', '--gamma', '--capacitance', '--vcc', '--vth', '--pull-down-ohms', '--mock-lux', '--mock-fault', '--gpio', '--gpio-chip', '--port', '--host', '--log-level']) {
      expect(r.stdout).toContain(flag);
    }
    for (const env of ['LIGHT_SENSOR_PIN', 'LIGHT_SENSOR_INTERVAL', 'GPIO_BACKEND', 'METRICS_PORT', 'MOCK_LUX']) expect(r.stdout).toContain(env);
  });

  it.each([
    [['--pin', 'BOARD6'], {}, /"BOARD6".*physical pin 6 is GND.*Accepted forms/],
    [['--pin', 'BCM99'], {}, /"BCM99".*not on the 40-pin header/],
    [['--gpio', 'nonsense'], {}, /--gpio value "nonsense".*mock \| pigpio \| onoff \| gpiochip \| auto/],
    [['--interval', '-1'], {}, /--interval value "-1".*positive duration/],
    [['--interval', 'soon'], {}, /--interval value "soon"/],
    [['--timeout', '0'], {}, /--timeout value "0": must be greater than zero/],
    [['--queue-len', '0'], {}, /--queue-len value "0"/],
    [['--port', '70000'], {}, /--port value "70000"/],
    [['--mock-lux', 'bright'], {}, /"bright".*daynight/],
    [['--mock-lux', 'daynight:-5m'], {}, /not a positive duration/],
    [['--mock-fault', 'melted'], {}, /--mock-fault value "melted"/],
    [['--pull', 'up'], {}, /--pull value "up".*none \| down/],
    [['--bogus'], {}, /unknown flag "--bogus"/],
    [['--intreval', '1s'], {}, /did you mean --interval/],
    [[], { LIGHT_SENSOR_PIN: 'BOARD1' }, /env LIGHT_SENSOR_PIN value "BOARD1".*3V3/],
    [[], { GPIO_BACKEND: 'gpu' }, /env GPIO_BACKEND value "gpu"/],
    [[], { LIGHT_SENSOR_INTERVAL: '-2s' }, /env LIGHT_SENSOR_INTERVAL value "-2s"/],
    // Each valid, wrong together: a reading could never fit in the interval.
    [['--interval', '50ms'], {}, /--interval 50ms is not longer than --discharge 100ms.*accepted: an interval longer than the discharge/],
    [['--interval', '200ms', '--discharge', '200ms'], {}, /--interval 200ms is not longer than --discharge 200ms/],
    [[], { LIGHT_SENSOR_INTERVAL: '20ms', LIGHT_SENSOR_DISCHARGE: '30ms' }, /--interval 20ms is not longer than --discharge 30ms/],
  ])('%j %j exits 2 naming the value', (args, env, message) => {
    const r = run(args as string[], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });

  it('--gpio pigpio on this non-Pi exits non-zero with an actionable message', () => {
    const r = run(['--gpio', 'pigpio', '--once']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pigpio backend unavailable/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('light-sensor service on the mock', () => {
  it('serves the metrics contract, follows a lux change at runtime, passes promtool, stops on SIGTERM', async () => {
    const { proc, url } = await startApp(
      'light-sensor',
      ['--gpio', 'mock', '--mock-lux', '10', '--interval', '150ms', '--discharge', '20ms', '--queue-len', '1'],
      { NODE_NAME: 'pi-test' },
    );
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await waitFor('readiness', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
      const dark = await waitFor('a reading at 10 lux', async () => {
        const m = await httpText(`${url}/metrics`);
        const v = m && sampleValue(m, 'light_sensor_illuminance_lux');
        return v !== undefined && Number.isFinite(v) ? m : undefined;
      });
      expect(sampleValue(dark, 'light_sensor_illuminance_lux', { node: 'pi-test' })! / 10).toBeCloseTo(1, 1);
      expect(sampleValue(dark, 'light_sensor_level')).toBeLessThan(0.05); // 9.95 ms of a 10 ms limit
      expect(sampleValue(dark, 'gpio_backend_info', { backend: 'mock', pin: 'BCM4', node: 'pi-test' })).toBe(1);
      for (const name of ['light_sensor_level', 'light_sensor_illuminance_lux', 'light_sensor_charge_seconds_bucket', 'light_sensor_charge_seconds_count', 'light_sensor_last_reading_timestamp_seconds']) {
        expect(sampleValue(dark, name), name).toBeDefined();
      }
      expect(sampleValue(dark, 'light_sensor_readings_total', { result: 'ok' })).toBeGreaterThan(0);
      expect(sampleValue(dark, 'light_sensor_readings_total', { result: 'timeout' })).toBe(0);
      expect(sampleValue(dark, 'light_sensor_last_reading_timestamp_seconds')! - Date.now() / 1000).toBeLessThan(5);

      const put = await fetch(`${url}/mock/lux`, { method: 'PUT', body: '1000' });
      expect(put.status).toBe(200);
      const bright = await waitFor('the level to follow 1000 lux', async () => {
        const m = await httpText(`${url}/metrics`);
        return m && sampleValue(m, 'light_sensor_level')! > 0.9 ? m : undefined;
      });
      expect(sampleValue(bright, 'light_sensor_illuminance_lux')! / 1000).toBeCloseTo(1, 1);
      expect((await fetch(`${url}/mock/lux`, { method: 'PUT', body: 'dazzling' })).status).toBe(400);

      const ours = filterFamilies(bright, ['light_sensor_', 'gpio_backend_']);
      expect(ours).toContain('# TYPE light_sensor_charge_seconds histogram');
      for (const family of ours.matchAll(/^# TYPE (\S+)/gm)) expect(readme('apps/light-sensor/README.md'), `README documents ${family[1]}`).toContain(`\`${family[1]}`);
      const check = promtoolCheckMetrics(ours);
      expect(check.output).toBe('');
      expect(check.ok).toBe(true);

      const t0 = Date.now();
      proc.child.kill('SIGTERM');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(1000);
      const msgs = logRecords(proc).map((r) => r.msg);
      expect(msgs).toContain('shutting down');
      expect(msgs.filter((m) => m === 'cleanup step failed')).toEqual([]);
    } finally {
      await proc.stop();
    }
  });
});
