// 1000 scrapes per second for 30 s while the sensor keeps reading: no request may fail, and
// the readings must keep their schedule and their accuracy. Latency is reported, not judged
// (speed targets live in `npm run bench`).
import { describe, expect, it } from 'vitest';
import { httpText, logRecords, pacedLoad, sampleValue, startApp, waitFor } from '@gpio-fleet/test-tools';

describe('light-sensor under 1000 requests/s on /metrics for 30 s', () => {
  it('serves every request and keeps sampling on schedule and accurate', async () => {
    const interval = 0.25;
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-lux', '100', '--interval', `${interval}s`, '--discharge', '20ms']);
    try {
      await waitFor('readiness', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined));
      const before = (await httpText(`${url}/metrics`))!;
      const readingsBefore = sampleValue(before, 'light_sensor_readings_total', { result: 'ok' })!;
      const t0 = performance.now();
      const report = await pacedLoad(`${url}/metrics`, 1000, 30);
      const elapsed = (performance.now() - t0) / 1000;
      const after = (await httpText(`${url}/metrics`))!;
      const q = (p: number) => report.latencies[Math.floor(report.latencies.length * p)]!.toFixed(2);
      process.stderr.write(`[load] ${report.sent} requests in ${elapsed.toFixed(1)} s, ${report.errors} errors, latency p50 ${q(0.5)} ms p99 ${q(0.99)} ms\n`);

      expect(report.sent).toBe(30_000);
      expect(report.errors).toBe(0);
      expect(report.ok).toBe(30_000);
      // The schedule is anchored to the start: readings keep coming at the interval, and none
      // was skipped because a reading overran.
      const readings = sampleValue(after, 'light_sensor_readings_total', { result: 'ok' })! - readingsBefore;
      expect(readings).toBeGreaterThanOrEqual(Math.floor((elapsed / interval) * 0.9));
      expect(readings).toBeLessThanOrEqual(Math.ceil(elapsed / interval) + 1);
      expect(sampleValue(after, 'light_sensor_readings_total', { result: 'timeout' })).toBe(0);
      expect(sampleValue(after, 'light_sensor_readings_skipped_total')).toBe(0);
      expect(logRecords(proc).filter((r) => String(r.msg).startsWith('skipped readings'))).toEqual([]);
      // Edge timestamps come from the backend, so a busy event loop does not bend the value.
      expect(Math.abs(sampleValue(after, 'light_sensor_illuminance_lux')! / 100 - 1)).toBeLessThan(0.05);
    } finally {
      await proc.stop();
    }
  }, 90_000);
});
