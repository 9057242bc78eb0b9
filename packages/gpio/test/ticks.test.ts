import { describe, expect, it } from 'vitest';
import { tickDeltaSeconds, tickDiffSeconds } from '../src/index.js';

const pigpio = { unitSeconds: 1e-6, modulus: 2 ** 32 };

describe('tick differences', () => {
  it('measures across the pigpio uint32 wrap (~72 min)', () => {
    const before = 2 ** 32 - 500; // 500 µs before the wrap
    const after = 1500; // 1500 µs after it
    expect(tickDiffSeconds(pigpio, before, after)).toBeCloseTo(2000e-6, 12);
  });

  it('is plain subtraction without a wrap', () => {
    expect(tickDiffSeconds(pigpio, 1000, 3000)).toBeCloseTo(2000e-6, 12);
    expect(tickDiffSeconds({ unitSeconds: 1e-9, modulus: 2 ** 53 }, 5, 1_000_000_005)).toBeCloseTo(1, 12);
  });

  it('gives small negative deltas for events stamped just before the reference', () => {
    expect(tickDeltaSeconds(pigpio, 1000, 990)).toBeCloseTo(-10e-6, 12);
    expect(tickDeltaSeconds(pigpio, 5, 2 ** 32 - 5)).toBeCloseTo(-10e-6, 12);
  });
});
