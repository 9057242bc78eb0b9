import { describe, expect, it } from 'vitest';
import {
  chargeTime,
  DEFAULT_CALIBRATION,
  estimateLight,
  lightLevel,
  luxFromChargeTime,
  measureCharge,
  type ChargeReading,
} from '../src/index.js';
import { rcRig } from './helpers.js';

const C = DEFAULT_CALIBRATION;
const opts = { discharge: 0.1, timeout: 1, pull: 'none' as const };

async function readOnce(lux: number, extra = {}) {
  const r = rcRig(lux, extra);
  const line = await r.factory.openOutput('BOARD7', 'test');
  const p = measureCharge(line, r.factory.ticks, r.clock, opts);
  await r.clock.runUntil(() => r.clock.pending === 0, 5);
  return { reading: await p, ...r, line };
}

describe('RC charge time model (docs/hardware.md#worked-values)', () => {
  it.each([
    [0.1, 0.25],
    [1, 49.9e-3],
    [10, 9.95e-3],
    [100, 1.99e-3],
    [1000, 0.4e-3],
  ])('%s lux charges in %s s (within 1 percent)', (lux, t) => {
    expect(chargeTime(lux, C) / t).toBeGreaterThan(0.99);
    expect(chargeTime(lux, C) / t).toBeLessThan(1.01);
  });

  it('round-trips lux → t → lux across six decades, with and without a pull-down', () => {
    for (const pd of [undefined, 50_000]) {
      const cal = { ...C, pullDownOhms: pd };
      for (let e = -1; e <= 4; e += 0.25) {
        const lux = 10 ** e;
        const t = chargeTime(lux, cal);
        if (!Number.isFinite(t)) continue;
        expect(luxFromChargeTime(t, cal) / lux).toBeCloseTo(1, 6);
      }
    }
  });

  it('a pull-down can stop the pin from ever reaching the threshold (reads as dark)', () => {
    // V∞ = 3.3·50k/(50k+R) ≤ 1.6 V once R ≥ 53 kΩ, i.e. below ~1.7 lux.
    expect(chargeTime(1, { ...C, pullDownOhms: 50_000 })).toBe(Infinity);
    expect(Number.isFinite(chargeTime(10, { ...C, pullDownOhms: 50_000 }))).toBe(true);
  });

  it('level follows gpiozero: 1 - min(1, t/limit)', () => {
    expect(lightLevel(0.002, 0.01)).toBeCloseTo(0.8, 12);
    expect(lightLevel(0.02, 0.01)).toBe(0);
    expect(lightLevel(NaN, 0.01)).toBe(0);
  });
});

describe('simulated RC photoresistor on the virtual clock', () => {
  it.each([
    [1, 49.9e-3],
    [10, 9.95e-3],
    [100, 1.99e-3],
    [1000, 0.4e-3],
  ])('a reading at %s lux measures %s s (within 1 percent)', async (lux, t) => {
    const { reading } = await readOnce(lux);
    expect(reading.result).toBe('ok');
    expect(reading.chargeSeconds / t).toBeGreaterThan(0.99);
    expect(reading.chargeSeconds / t).toBeLessThan(1.01);
  });

  it('the rising edge carries the exact simulated time, not when the timer fired', async () => {
    const r = rcRig(100);
    const line = await r.factory.openOutput('BOARD7', 'test');
    line.setOutput(0);
    await r.clock.advance(0.1);
    const events: number[] = [];
    line.onEdge((e) => events.push(e.tick));
    const t0 = line.setInput({ edge: 'rising' });
    await r.clock.advance(0.5); // deliver late: the tick must still say 1.99 ms
    expect(events).toHaveLength(1);
    expect((events[0]! - t0) / 1e9).toBeCloseTo(chargeTime(100, C), 9);
  });

  it('a short discharge leaves residual charge, so the next charge is shorter', async () => {
    const r = rcRig(10, { dischargeOhms: 100 }); // τ_discharge ≈ 0.1 ms
    const line = await r.factory.openOutput('BOARD7', 'test');
    const full = measureCharge(line, r.factory.ticks, r.clock, { ...opts, discharge: 0.1 });
    await r.clock.runUntil(() => r.clock.pending === 0, 5);
    const long = await full;
    await r.clock.advance(0.05); // capacitor keeps charging toward Vcc meanwhile
    const short = measureCharge(line, r.factory.ticks, r.clock, { ...opts, discharge: 0.0001 });
    await r.clock.runUntil(() => r.clock.pending === 0, 5);
    const residual = await short;
    // The LDR still feeds the node while it discharges: 100 Ω vs 15 kΩ leaves ~22 mV, ~1.3 % short.
    expect(long.chargeSeconds / 9.95e-3).toBeGreaterThan(0.98);
    expect(long.chargeSeconds / 9.95e-3).toBeLessThan(0.995);
    expect(residual.result).toBe('ok');
    expect(residual.chargeSeconds).toBeLessThan(long.chargeSeconds * 0.8);
    // ≥ 5 τ of discharge restores the full reading.
    const again = measureCharge(line, r.factory.ticks, r.clock, { ...opts, discharge: 0.0006 });
    await r.clock.runUntil(() => r.clock.pending === 0, 5);
    expect((await again).chargeSeconds / long.chargeSeconds).toBeCloseTo(1, 1);
  });

  it('a light change at runtime changes the next reading', async () => {
    const r = rcRig(10);
    const line = await r.factory.openOutput('BOARD7', 'test');
    const read = async () => {
      const p = measureCharge(line, r.factory.ticks, r.clock, opts);
      await r.clock.runUntil(() => r.clock.pending === 0, 5);
      return (await p).chargeSeconds;
    };
    expect(await read()).toBeCloseTo(9.95e-3, 4);
    r.light.set(1000);
    expect(await read()).toBeCloseTo(0.4e-3, 5);
  });

  it('jitter and threshold noise spread readings around the model without bias', async () => {
    const r = rcRig(100, { timestampJitter: 2e-6, thresholdNoise: 0.005, seed: 42 });
    const line = await r.factory.openOutput('BOARD7', 'test');
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const p = measureCharge(line, r.factory.ticks, r.clock, opts);
      await r.clock.runUntil(() => r.clock.pending === 0, 5);
      samples.push((await p).chargeSeconds);
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    expect(mean / 1.99e-3).toBeGreaterThan(0.99);
    expect(mean / 1.99e-3).toBeLessThan(1.01);
    expect(sd).toBeGreaterThan(1e-6); // not a constant
    expect(sd).toBeLessThan(30e-6);
  });

  describe('faults', () => {
    it('disconnected LDR: the pin never charges, the reading times out (no hang)', async () => {
      const { reading, clock } = await readOnce(100, { fault: 'disconnected' });
      expect(reading.result).toBe('timeout');
      expect(Number.isNaN(reading.chargeSeconds)).toBe(true);
      expect(reading.at - 1000).toBeCloseTo(1.1, 6); // discharge + timeout
      expect(clock.pending).toBe(0);
    });

    it('stuck low: times out', async () => {
      const { reading } = await readOnce(100, { fault: 'stuck-low' });
      expect(reading.result).toBe('timeout');
    });

    it('stuck high: flagged as an error, not a bright reading', async () => {
      const { reading } = await readOnce(100, { fault: 'stuck-high' });
      expect(reading.result).toBe('error');
      expect(reading.error).toMatch(/stuck high/);
    });

    it('reconnecting recovers', async () => {
      const r = rcRig(100, { fault: 'disconnected' });
      const line = await r.factory.openOutput('BOARD7', 'test');
      const read = async () => {
        const p = measureCharge(line, r.factory.ticks, r.clock, opts);
        await r.clock.runUntil(() => r.clock.pending === 0, 5);
        return p;
      };
      expect((await read()).result).toBe('timeout');
      r.circuit.setFault('none', r.clock.now());
      const ok = await read();
      expect(ok.result).toBe('ok');
      expect(ok.chargeSeconds).toBeCloseTo(1.99e-3, 4);
    });
  });
});

describe('estimateLight (median window)', () => {
  const ok = (t: number): ChargeReading => ({ result: 'ok', chargeSeconds: t, at: 0 });
  const to: ChargeReading = { result: 'timeout', chargeSeconds: NaN, at: 0 };
  const est = (w: ChargeReading[]) => estimateLight(w, { chargeTimeLimit: 0.01, calibration: C });

  it('reports the median, ignoring one outlier', () => {
    const e = est([ok(0.002), ok(0.0021), ok(0.5), ok(0.0019), ok(0.002)]);
    expect(e.chargeSeconds).toBe(0.002);
    expect(e.level).toBeCloseTo(0.8, 12);
    expect(e.lux).toBeCloseTo(luxFromChargeTime(0.002, C), 9);
  });

  it('a minority of failures keeps the estimate; a majority makes it NaN, never stale', () => {
    expect(est([ok(0.002), to, ok(0.002), to, ok(0.002)]).lux).toBeGreaterThan(0);
    const stale = est([ok(0.002), to, to, to, ok(0.002)]);
    expect(Number.isNaN(stale.lux)).toBe(true);
    expect(Number.isNaN(stale.level)).toBe(true);
    expect(stale.okInWindow).toBe(2);
  });
});

describe('a stalled process (slow CPU, emulation)', () => {
  it('still gets the rising edge, stamped when it happened, even if planning runs after it', async () => {
    const { RcPhotoresistorCircuit, MockDriver, PinFactory, SettableLight, constantLight } = await import('../src/index.js');
    // A clock whose "now" jumps 5 ms on every read after the switch: longer than the 1.99 ms charge.
    let t = 100;
    let stall = false;
    const timers: { at: number; fn: () => void }[] = [];
    const clock = {
      now: () => (stall ? (t += 0.005) : t),
      setTimer: (fn: () => void, d: number) => {
        timers.push({ at: t + d, fn });
        return { cancel: () => timers.splice(timers.findIndex((x) => x.fn === fn), 1) };
      },
    };
    const driver = new MockDriver(clock);
    driver.attach('BOARD7', new RcPhotoresistorCircuit({ light: new SettableLight(constantLight(100)), origin: 0, timestampJitter: 0, thresholdNoise: 0 }));
    const line = await new PinFactory(driver).openOutput('BOARD7', 'test');
    const ticks: number[] = [];
    line.onEdge((e) => ticks.push(e.tick));
    stall = true;
    const start = line.setInput({ edge: 'rising' });
    stall = false;
    expect(timers).toHaveLength(1);
    timers[0]!.fn();
    expect(ticks).toHaveLength(1);
    expect((ticks[0]! - start) / 1e9).toBeCloseTo(1.99e-3, 5);
  });
});
