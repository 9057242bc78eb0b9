// The readiness contract (charts/traffic-light/README.md, "Readiness"): /readyz answers 200 once
// the app serves, holds its lines and has shown its first phase; a version that cannot drive
// its GPIO never answers 200.
import { describe, expect, it } from 'vitest';
import { logRecords, readyzUntilExit, startApp, waitFor } from '@gpio-fleet/test-tools';

const readyz = async (url: string): Promise<number> => (await fetch(`${url}/readyz`)).status;

describe('readiness', () => {
  it('answers 200 once the first phase is shown', async () => {
    const { proc, url } = await startApp('traffic-light', ['--gpio', 'mock', '--phases', 'red:5s,green:5s']);
    try {
      await waitFor('/readyz to answer 200', async () => ((await readyz(url)) === 200 ? true : undefined));
      expect(logRecords(proc).filter((r) => r.msg === 'phase').map((r) => r.phase)).toEqual(['red']);
    } finally {
      await proc.stop();
    }
  });

  it('never answers 200 when the GPIO backend cannot drive the lamps: exits 1 instead', async () => {
    const { proc: p, answers, code } = await readyzUntilExit('traffic-light', ['--gpio', 'gpiochip', '--gpio-chip', '/dev/null']);
    expect(code).toBe(1);
    expect(answers.has(200)).toBe(false);
    expect(p.stderr()).toContain('gpiochip backend unavailable');
    expect(logRecords(p).some((r) => r.msg === 'phase')).toBe(false);
  });
});
