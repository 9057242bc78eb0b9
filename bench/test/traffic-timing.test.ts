// Lateness summaries: the drift is the last boundary's lateness against the ideal schedule.
import { describe, expect, it } from 'vitest';
import { summarizeLateness } from '../src/parts/traffic-timing.js';

describe('summarizeLateness', () => {
  it('reports percentiles, max and the final drift', () => {
    const chained = Array.from({ length: 100 }, (_, k) => k * 0.001); // 1 ms lost per phase
    const s = summarizeLateness(chained);
    expect(s.phases).toBe(100);
    expect(s.p50).toBeCloseTo(0.0495, 6);
    expect(s.max).toBeCloseTo(0.099, 9);
    expect(s.finalDrift).toBeCloseTo(0.099, 9);
  });
});
