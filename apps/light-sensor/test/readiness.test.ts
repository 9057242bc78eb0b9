// The readiness contract (charts/light-sensor/README.md, "Readiness"): /readyz answers 200 once
// the app serves, holds its pin and has finished one reading attempt, whatever its result, so a
// broken sensor never stalls a fleet rollout; a version that cannot drive its GPIO never
// answers 200.
import { describe, expect, it } from 'vitest';
import { httpText, logRecords, readyzUntilExit, sampleValue, startApp, waitFor } from '@gpio-fleet/test-tools';

const readyz = async (url: string): Promise<number> => (await fetch(`${url}/readyz`)).status;

describe('readiness', () => {
  it('is 503 until the first reading attempt ends, then 200 although that reading timed out', async () => {
    // Disconnected: no reading ever succeeds; the first attempt ends after 10 ms + the 1.5 s timeout.
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-fault', 'disconnected', '--discharge', '10ms', '--timeout', '1500ms', '--interval', '3s']);
    try {
      expect(await readyz(url)).toBe(503);
      await waitFor('/readyz to answer 200', async () => ((await readyz(url)) === 200 ? true : undefined), 10_000, 20);
      const m = (await httpText(`${url}/metrics`))!;
      expect(sampleValue(m, 'light_sensor_readings_total', { result: 'timeout' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(m, 'light_sensor_readings_total', { result: 'ok' })).toBe(0);
      expect(Number.isNaN(sampleValue(m, 'light_sensor_illuminance_lux')!)).toBe(true);
    } finally {
      await proc.stop();
    }
  });

  it('stays ready through a fault that starts later (a pin stuck high): the metrics report it', async () => {
    const { proc, url } = await startApp('light-sensor', ['--gpio', 'mock', '--mock-lux', '100', '--interval', '100ms', '--discharge', '5ms', '--timeout', '50ms']);
    try {
      await waitFor('/readyz to answer 200', async () => ((await readyz(url)) === 200 ? true : undefined));
      expect((await fetch(`${url}/mock/fault`, { method: 'PUT', body: 'stuck-high' })).status).toBe(200);
      const errors = async () => sampleValue((await httpText(`${url}/metrics`))!, 'light_sensor_readings_total', { result: 'error' })!;
      await waitFor('error readings', async () => ((await errors()) >= 3 ? true : undefined));
      expect(await readyz(url)).toBe(200);
    } finally {
      await proc.stop();
    }
  });

  it('never answers 200 when the GPIO backend cannot drive the pin: exits 1 instead', async () => {
    // A character device that is not a GPIO chip, as a misconfigured device plugin would hand over.
    const { proc: p, answers, code } = await readyzUntilExit('light-sensor', ['--gpio', 'gpiochip', '--gpio-chip', '/dev/null']);
    expect(code).toBe(1);
    expect(answers.has(200)).toBe(false);
    expect(p.stderr()).toContain('gpiochip backend unavailable');
    expect(logRecords(p).at(-1)).toMatchObject({ msg: 'stopped', exitCode: 1 });
  });
});
