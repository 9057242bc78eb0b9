// A week of readings on the virtual clock under a day/night curve: no drift, no leak, no
// growth in series, no timeouts, and the estimate follows the sun.
import { describe, expect, it } from 'vitest';
import { createRegistry } from '@gpio-fleet/runtime';
import {
  DEFAULT_CALIBRATION,
  dayNightLight,
  MockDriver,
  PinFactory,
  RcPhotoresistorCircuit,
  runLightSampler,
  VirtualClock,
} from '@gpio-fleet/gpio';
import { seriesCount, settledHeapBytes } from '@gpio-fleet/test-tools';
import { createSensorMetrics } from '../src/metrics.js';

const DAY = 86_400;

describe('light-sensor soak: 7 simulated days at one reading per second', () => {
  it('stays flat in memory and series, and tracks the day/night curve', async () => {
    const clock = new VirtualClock(0);
    const driver = new MockDriver(clock);
    const factory = new PinFactory(driver);
    const light = dayNightLight(DAY, 0.5, 10_000);
    driver.attach('BOARD7', new RcPhotoresistorCircuit({ light, origin: 0, seed: 7 }));
    const line = await factory.openOutput('BOARD7', 'light-sensor');
    const registry = createRegistry({ nodeName: 'soak' });
    const metrics = createSensorMetrics(registry);
    const counts = { ok: 0, timeout: 0, error: 0 };
    // Error histogram in 0.1 % bins (a fixed size, so the test itself does not grow the heap).
    const bins = new Uint32Array(201);
    const quantile = (q: number) => {
      const total = bins.reduce((a, b) => a + b, 0);
      let seen = 0;
      for (let i = 0; i < bins.length; i++) if ((seen += bins[i]!) >= q * total) return i / 1000;
      return Infinity;
    };
    runLightSampler(
      line,
      factory.ticks,
      clock,
      { interval: 1, queueLen: 1, discharge: 0.1, timeout: 1, pull: 'none', chargeTimeLimit: 0.01, calibration: DEFAULT_CALIBRATION },
      {
        onReading: (r, e) => {
          counts[r.result]++;
          metrics.record(r, e, clock.now());
          const truth = light.luxAt(r.at - r.chargeSeconds);
          bins[Math.min(200, Math.floor(Math.abs(e.lux / truth - 1) * 1000))]!++;
        },
      },
    );
    const perDay: { heap: number; series: number }[] = [];
    for (let day = 1; day <= 7; day++) {
      await clock.advanceTo(day * DAY);
      perDay.push({ heap: settledHeapBytes(), series: await seriesCount(registry) });
    }
    expect(counts.timeout + counts.error).toBe(0);
    // One reading per second, anchored to the start: exactly 7 days' worth (the last boundary at 7 d is due).
    expect(counts.ok).toBeGreaterThanOrEqual(7 * DAY - 1);
    expect(counts.ok).toBeLessThanOrEqual(7 * DAY + 1);
    // Jitter (σ 1 µs) matters most in bright light (79 µs at 10 000 lux), amplified by 1/γ.
    expect(quantile(0.5)).toBeLessThan(0.01);
    expect(quantile(0.99)).toBeLessThan(0.05); // measured ~3.2 %
    expect(new Set(perDay.map((d) => d.series)).size).toBe(1);
    expect(perDay[6]!.heap - perDay[0]!.heap).toBeLessThan(4 * 1024 * 1024);
  }, 300_000);
});
