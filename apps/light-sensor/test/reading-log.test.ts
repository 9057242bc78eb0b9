// What the sensor logs per reading, and how it keeps a skipping sensor's log readable.
import { describe, expect, it } from 'vitest';
import { createLogger } from '@gpio-fleet/cli-kit';
import type { ChargeReading, LightEstimate } from '@gpio-fleet/gpio';
import { createReadingLog } from '../src/reading-log.js';

function rig(logDelta = 0) {
  const lines: Record<string, unknown>[] = [];
  let t = 0;
  const log = createReadingLog(createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }), logDelta, () => t);
  return { log, lines, at: (s: number) => (t = s) };
}

const ok = (level: number): [ChargeReading, LightEstimate] => [
  { result: 'ok', chargeSeconds: 0.002, at: 0 },
  { chargeSeconds: 0.002, level, lux: 100, okInWindow: 1, windowSize: 1 },
];

describe('reading log', () => {
  it('skipped readings: the first is logged at once, then at most one warning a minute with the count', () => {
    const { log, lines, at } = rig();
    // 13 skips a second for five minutes, the rate of --interval 50ms against a 100 ms discharge.
    for (let i = 0; i < 13 * 300; i++) {
      at(i / 13);
      log.skipped();
    }
    const warnings = lines.filter((l) => String(l.msg).startsWith('skipped readings'));
    expect(warnings.length).toBeLessThanOrEqual(6);
    expect(warnings.length).toBeGreaterThanOrEqual(5);
    expect(warnings[0]).toMatchObject({ level: 'warn', skipped: 1 });
    // Nothing is hidden: the counts add up to every skip but those after the last warning.
    const counted = warnings.reduce((n, w) => n + Number(w.skipped), 0);
    expect(counted).toBeGreaterThan(13 * 240);
    expect(counted).toBeLessThanOrEqual(13 * 300);
  });

  it('--log-delta: logs a reading only when the level moved by more than the delta', () => {
    const { log, lines } = rig(0.1);
    for (const level of [0.5, 0.55, 0.58, 0.7, 0.72]) log.reading(...ok(level));
    expect(lines.filter((l) => l.msg === 'reading').map((l) => l.lightLevel)).toEqual([0.5, 0.7]);
  });

  it('failed readings are always logged as warnings', () => {
    const { log, lines } = rig(0.5);
    log.reading({ result: 'timeout', chargeSeconds: NaN, at: 0 }, { chargeSeconds: NaN, level: NaN, lux: NaN, okInWindow: 0, windowSize: 1 });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'reading failed', result: 'timeout' })]);
  });
});
