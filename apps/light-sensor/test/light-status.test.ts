// The status page's state, driven by the real sampler and the mock RC circuit on a virtual
// clock: ten minutes of history in a bounded buffer, counts by result, the fault state.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION, MockDriver, PinFactory, RcPhotoresistorCircuit, runLightSampler, SettableLight, VirtualClock, type ChargeReading, type LightEstimate } from '@gpio-fleet/gpio';
import { HISTORY_SECONDS, LightStatus, MAX_POINTS } from '../src/status/light-status.js';

const ok = (at: number, lux: number): [ChargeReading, LightEstimate] => [
  { result: 'ok', chargeSeconds: 0.002, at },
  { chargeSeconds: 0.002, level: 0.8, lux, okInWindow: 1, windowSize: 1 },
];

describe('light-sensor status state', () => {
  it('follows the real sampler: ten minutes of estimates, counts, and a fault when the LDR is disconnected', async () => {
    const clock = new VirtualClock(0);
    const driver = new MockDriver(clock);
    const light = new SettableLight({ luxAt: () => 100, description: '100 lux' });
    const circuit = driver.attach('BOARD7', new RcPhotoresistorCircuit({ light, origin: 0, seed: 3 }));
    const line = await new PinFactory(driver).openOutput('BOARD7', 'light-sensor');
    const status = new LightStatus(() => clock.now(), 1);
    let last: LightEstimate | undefined;
    const sampling = runLightSampler(line, new PinFactory(driver).ticks, clock, { interval: 1, queueLen: 5, discharge: 0.1, timeout: 1, pull: 'none', chargeTimeLimit: 0.01, calibration: DEFAULT_CALIBRATION }, {
      onReading: (r, e) => {
        status.record(r, e);
        last = e;
      },
    });
    expect(status.update()).toBeUndefined();
    await clock.advance(15 * 60);
    const snap = status.snapshot();
    // Only the last ten minutes, one point a second; the newest equals the estimate /metrics reports.
    expect(snap.history.length).toBeGreaterThanOrEqual(HISTORY_SECONDS - 1);
    expect(snap.history.length).toBeLessThanOrEqual(HISTORY_SECONDS + 1);
    expect(snap.history[0]!.t).toBeGreaterThanOrEqual(clock.now() - HISTORY_SECONDS);
    expect(snap.history.at(-1)!.lux).toBeCloseTo(last!.lux, 1);
    expect(snap.history.every((p) => p.lux !== null && Math.abs(p.lux / 100 - 1) < 0.05)).toBe(true);
    expect(snap.counts).toEqual({ ok: 900, timeout: 0, error: 0 });
    expect(snap.fault).toEqual({ failing: false, okInWindow: 5, windowSize: 5, lastFailure: undefined });

    circuit.setFault('disconnected', clock.now());
    await clock.advance(10);
    const u = status.update()!;
    expect(u.point).toMatchObject({ lux: null, level: null, result: 'timeout' });
    expect(u.counts.timeout).toBeGreaterThanOrEqual(4);
    expect(u.fault).toMatchObject({ failing: true, okInWindow: 0, windowSize: 5, lastFailure: { result: 'timeout' } });
    sampling.stop();
  });

  it('holds at most one point per interval over the window, and never more than MAX_POINTS', () => {
    const clock = new VirtualClock(0);
    const slow = new LightStatus(() => clock.now(), 10);
    const fast = new LightStatus(() => clock.now(), 0.01);
    for (let i = 0; i < 20_000; i++) {
      slow.record(...ok(i, 100));
      fast.record(...ok(i, 100));
    }
    expect(slow.snapshot().history).toHaveLength(61);
    expect(fast.snapshot().history).toHaveLength(MAX_POINTS);
  });

  it('keeps the last failure after the sensor recovers', async () => {
    const clock = new VirtualClock(0);
    const s = new LightStatus(() => clock.now(), 1);
    s.record({ result: 'error', chargeSeconds: NaN, at: 0, error: 'pin stuck high' }, { chargeSeconds: NaN, level: NaN, lux: NaN, okInWindow: 0, windowSize: 1 });
    await clock.advance(5);
    s.record(...ok(5, 50));
    expect(s.snapshot().fault).toEqual({ failing: false, okInWindow: 1, windowSize: 1, lastFailure: { result: 'error', error: 'pin stuck high', t: 0 } });
    expect(s.snapshot().counts).toEqual({ ok: 1, timeout: 0, error: 1 });
  });
});
