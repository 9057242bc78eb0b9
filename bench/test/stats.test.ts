// The harness's statistics: pure functions, checked against hand-computed values.
import { describe, expect, it } from 'vitest';
import { logSweep, max, median, percentile, ratio, resolution95, stddev } from '../src/lib/stats.js';

describe('stats', () => {
  it('median of odd and even counts, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('percentile interpolates between ranks', () => {
    const xs = [10, 20, 30, 40, 50];
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 90)).toBeCloseTo(46);
    expect(() => percentile(xs, 101)).toThrow(RangeError);
  });

  it('sample standard deviation', () => {
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(stddev([1])).toBeNaN();
  });

  it('max and ratio', () => {
    expect(max([1, 5, 2])).toBe(5);
    expect(ratio(6, 3)).toBe(2);
    expect(ratio(1, 0)).toBeNaN();
  });

  it('resolution at 95 % is 1.96·√2·σ', () => {
    expect(resolution95(1)).toBeCloseTo(2.772, 3);
  });

  it('log sweep: 0.1 to 10 000 lux at 3 points per decade', () => {
    const s = logSweep(0.1, 10_000, 3);
    expect(s).toHaveLength(16);
    expect(s.slice(0, 4)).toEqual([0.1, 0.215, 0.464, 1]);
    expect(s[s.length - 1]).toBe(10_000);
  });
});
