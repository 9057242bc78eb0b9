// Faults and signals at awkward moments, against the built light-sensor on the mock.
import { describe, expect, it } from 'vitest';
import { appCli, describeBadInput, httpText, logRecords, sampleValue, start, startApp, waitFor } from '@gpio-fleet/test-tools';
import { options } from '../src/options.js';

describeBadInput('light-sensor', [appCli('light-sensor')], options, { freeText: ['host', 'gpio-chip', 'mqtt-username', 'mqtt-client-id', 'mqtt-topic-prefix', 'mqtt-discovery-prefix'], baseArgs: ['--once'], baseEnv: { GPIO_BACKEND: 'mock' } });

describe('faults through the mock', () => {
  it('a disconnected LDR times out, the gauges go NaN (not stale), and readings recover on reconnect', async () => {
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-lux', '100', '--interval', '100ms', '--discharge', '5ms', '--timeout', '50ms', '--queue-len', '3']);
    try {
      await waitFor('readiness', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
      expect((await fetch(`${url}/mock/fault`, { method: 'PUT', body: 'disconnected' })).status).toBe(200);
      // NaN once failures are half the window or more (one of two early on, two of three later).
      // The reading under way at the moment of disconnection may end either way, so wait for
      // a timeout itself rather than for the first NaN.
      const broken = await waitFor('timeouts to make the estimate NaN', async () => {
        const m = await httpText(`${url}/metrics`);
        return m && Number.isNaN(sampleValue(m, 'light_sensor_illuminance_lux')) && (sampleValue(m, 'light_sensor_readings_total', { result: 'timeout' }) ?? 0) >= 1 ? m : undefined;
      });
      expect(Number.isNaN(sampleValue(broken, 'light_sensor_level')!)).toBe(true);
      const stamp = sampleValue(broken, 'light_sensor_last_reading_timestamp_seconds')!;
      await new Promise((r) => setTimeout(r, 400));
      const later = (await httpText(`${url}/metrics`))!;
      expect(sampleValue(later, 'light_sensor_last_reading_timestamp_seconds')).toBe(stamp); // not advancing
      expect((await fetch(`${url}/healthz`)).status).toBe(200); // no hang
      expect(logRecords(proc).some((r) => r.msg === 'reading failed' && r.result === 'timeout')).toBe(true);

      await fetch(`${url}/mock/fault`, { method: 'PUT', body: 'none' });
      // The reading in flight at reconnection is long (it charged from the moment of
      // reconnection); the median converges once the window holds fresh readings.
      const healed = await waitFor('recovery to ~100 lux', async () => {
        const m = await httpText(`${url}/metrics`);
        const lux = m ? sampleValue(m, 'light_sensor_illuminance_lux') : undefined;
        return lux !== undefined && Math.abs(lux / 100 - 1) < 0.05 ? m : undefined;
      });
      expect(sampleValue(healed, 'light_sensor_last_reading_timestamp_seconds')).toBeGreaterThan(stamp);
    } finally {
      await proc.stop();
    }
  });

  it('readings longer than the interval: boundaries are skipped, counted, and warned about once', async () => {
    // 150 ms between starts, but a dark reading takes 20 ms of discharge plus the 400 ms timeout.
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-fault', 'disconnected', '--interval', '150ms', '--discharge', '20ms', '--timeout', '400ms']);
    try {
      const m = await waitFor('skipped readings to be counted', async () => {
        const text = await httpText(`${url}/metrics`);
        return text && sampleValue(text, 'light_sensor_readings_skipped_total')! >= 4 ? text : undefined;
      });
      expect(sampleValue(m, 'light_sensor_readings_total', { result: 'timeout' })).toBeGreaterThanOrEqual(1);
      const warnings = logRecords(proc).filter((r) => String(r.msg).startsWith('skipped readings'));
      expect(warnings).toHaveLength(1); // the first at once, the next not before a minute
      expect(warnings[0]).toMatchObject({ level: 'warn', skipped: 1 });
    } finally {
      await proc.stop();
    }
  });

  it('a stuck-high pin is flagged as result="error"', async () => {
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-fault', 'stuck-high', '--interval', '100ms', '--discharge', '5ms', '--timeout', '30ms']);
    try {
      const m = await waitFor('error readings', async () => {
        const t = await httpText(`${url}/metrics`);
        return t && sampleValue(t, 'light_sensor_readings_total', { result: 'error' })! >= 2 ? t : undefined;
      });
      expect(sampleValue(m, 'light_sensor_readings_total', { result: 'ok' })).toBe(0);
      expect(Number.isNaN(sampleValue(m, 'light_sensor_illuminance_lux')!)).toBe(true);
      // Never had a good reading, yet ready: a hardware fault is for the metrics (test/readiness.test.ts).
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(logRecords(proc).find((r) => r.result === 'error')?.error).toMatch(/stuck high/);
    } finally {
      await proc.stop();
    }
  });
});

describe('signals at awkward moments', () => {
  const expectCleanExit = async (p: ReturnType<typeof start>, sentAt: number) => {
    const { code, signal } = await p.exited;
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    return logRecords(p).at(-1);
  };

  it('SIGTERM during a charge wait: exits within 1 s and releases the pin', async () => {
    // Disconnected: the reading waits the whole 5 s timeout for an edge that never comes.
    const { proc } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-fault', 'disconnected', '--timeout', '5s', '--discharge', '10ms']);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    proc.child.kill('SIGTERM');
    const last = await expectCleanExit(proc, t0);
    expect(last).toMatchObject({ msg: 'stopped', exitCode: 0 });
    expect(last?.steps).toContain('release GPIO');
  });

  it('SIGTERM during start-up: exits cleanly', async () => {
    const p = start(process.execPath, [appCli('light-sensor'), '--gpio', 'mock', '--port', '0']);
    await waitFor('the backend to be chosen', () => (logRecords(p).some((r) => r.msg === 'GPIO backend selected') ? true : undefined), 5000, 5);
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    await expectCleanExit(p, t0);
  });

  it('SIGINT then SIGTERM: one clean shutdown', async () => {
    const { proc } = await startApp('light-sensor', ['--gpio', 'mock']);
    const t0 = Date.now();
    proc.child.kill('SIGINT');
    proc.child.kill('SIGTERM');
    const last = await expectCleanExit(proc, t0);
    expect(last?.steps).toContain('release GPIO');
    expect(logRecords(proc).filter((r) => r.msg === 'stopped')).toHaveLength(1);
  });
});
