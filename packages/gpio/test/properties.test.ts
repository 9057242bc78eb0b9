// Property-based checks: the parser and the physics must hold for every input, not just
// the examples we thought of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chargeTime,
  DEFAULT_CALIBRATION,
  GPIO_PINS,
  InvalidValueError,
  luxFromChargeTime,
  parsePin,
  pinAliases,
  type RcCalibration,
} from '../src/index.js';

const calibration = fc.record({
  r10: fc.double({ min: 5_000, max: 30_000, noNaN: true }),
  gamma: fc.double({ min: 0.5, max: 1, noNaN: true }),
  capacitance: fc.double({ min: 1e-7, max: 1e-5, noNaN: true }),
  vcc: fc.constant(3.3),
  vth: fc.double({ min: 1.2, max: 2.0, noNaN: true }),
  pullDownOhms: fc.option(fc.double({ min: 20_000, max: 100_000, noNaN: true }), { nil: undefined }),
  darkOhms: fc.constant(1e6),
}) as fc.Arbitrary<RcCalibration>;

describe('pin-name parser properties', () => {
  it('every accepted spelling of every GPIO round-trips, whatever the case or padding', () => {
    const spelling = fc.tuple(fc.constantFrom(...GPIO_PINS), fc.nat(5), fc.boolean(), fc.nat(2), fc.nat(2));
    fc.assert(
      fc.property(spelling, ([pin, which, lower, before, after]) => {
        const alias = pinAliases(pin)[which]!;
        const text = `${' '.repeat(before)}${lower ? alias.toLowerCase() : alias}${' '.repeat(after)}`;
        const parsed = parsePin(text);
        expect(parsed.board).toBe(pin.board);
        expect(parsePin(parsed.id).board).toBe(pin.board);
      }),
    );
  });

  it('any other string is either a valid pin or an InvalidValueError naming it, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^(BOARD|BCM|GPIO|WPI|J8:)?-?\d{0,4}$/)), (text) => {
        try {
          const p = parsePin(text);
          expect(GPIO_PINS.some((g) => g.bcm === p.bcm)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidValueError);
          expect((err as Error).message).toContain(`"${text}"`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lux ↔ charge-time properties', () => {
  it('charge time falls as light rises (strictly, until the dark clamp)', () => {
    fc.assert(
      fc.property(calibration, fc.double({ min: 0.01, max: 1e5, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }), (c, lux, factor) => {
        const darker = chargeTime(lux, c);
        const brighter = chargeTime(lux * factor, c);
        expect(brighter).toBeLessThanOrEqual(darker);
        if (Number.isFinite(darker) && c.r10 * (lux / 10) ** -c.gamma < c.darkOhms) expect(brighter).toBeLessThan(darker);
      }),
    );
  });

  it('lux → t → lux round-trips within 1e-6 wherever the pin can charge', () => {
    fc.assert(
      fc.property(calibration, fc.double({ min: 0.05, max: 1e5, noNaN: true }), (c, lux) => {
        const t = chargeTime(lux, c);
        // The dark clamp is a designed discontinuity (at or beyond it the estimate is 0 lux):
        // stay a relative 1e-9 clear of it, where floating-point rounding decides the side.
        fc.pre(Number.isFinite(t) && c.r10 * (lux / 10) ** -c.gamma < c.darkOhms * (1 - 1e-9));
        expect(Math.abs(luxFromChargeTime(t, c) / lux - 1)).toBeLessThan(1e-6);
      }),
    );
  });

  it('the estimate is monotonic in the measured time for the default circuit', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.6, noNaN: true }), fc.double({ min: 1.0001, max: 10, noNaN: true }), (t, k) => {
        expect(luxFromChargeTime(t * k, DEFAULT_CALIBRATION)).toBeLessThanOrEqual(luxFromChargeTime(t, DEFAULT_CALIBRATION));
      }),
    );
  });
});
