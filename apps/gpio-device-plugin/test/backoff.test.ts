import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/plugin/backoff.js';

describe('registration backoff', () => {
  it('doubles from 1 s and stays at 30 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 1000, maxMs: 30_000 });
    expect([1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });
});
