import { describe, expect, it } from 'vitest';
import { exponentialBackoff, Outbox } from '../src/index.js';

const drain = <T>(o: Outbox<T>): T[] => {
  const out: T[] = [];
  for (let x = o.shift(); x !== undefined; x = o.shift()) out.push(x);
  return out;
};

describe('MQTT outbox', () => {
  it('keeps messages oldest first', () => {
    const o = new Outbox<number>(3);
    for (const n of [1, 2, 3]) expect(o.push(n)).toBe(0);
    expect(drain(o)).toEqual([1, 2, 3]);
    expect(o.size).toBe(0);
  });

  it('drops the oldest when full, and says so', () => {
    const o = new Outbox<number>(3);
    const dropped = [1, 2, 3, 4, 5].map((n) => o.push(n));
    expect(dropped).toEqual([0, 0, 0, 1, 1]);
    expect(o.size).toBe(3);
    expect(drain(o)).toEqual([3, 4, 5]);
  });

  it('never holds more than its capacity, however long the broker is away', () => {
    const o = new Outbox<number>(100);
    let dropped = 0;
    for (let n = 0; n < 100_000; n++) dropped += o.push(n);
    expect(o.size).toBe(100);
    expect(dropped).toBe(99_900);
    expect(drain(o)[0]).toBe(99_900);
  });

  it('puts unacknowledged messages back in front, dropping the oldest of them that do not fit', () => {
    const o = new Outbox<string>(4);
    o.push('c');
    o.push('d');
    expect(o.requeue(['a', 'b'])).toBe(0);
    expect(drain(o)).toEqual(['a', 'b', 'c', 'd']);
    o.push('y');
    o.push('z');
    o.push('zz');
    expect(o.requeue(['v', 'w', 'x'])).toBe(2);
    expect(drain(o)).toEqual(['x', 'y', 'z', 'zz']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Outbox(0)).toThrow(/positive integer/);
    expect(() => new Outbox(1.5)).toThrow(/positive integer/);
  });
});

describe('reconnect backoff', () => {
  it('doubles up to the maximum, each wait between half and all of its ceiling', () => {
    const low = exponentialBackoff({ initialMs: 1000, maxMs: 30_000, random: () => 0 });
    expect(Array.from({ length: 8 }, () => low.next())).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    const high = exponentialBackoff({ initialMs: 1000, maxMs: 30_000, random: () => 1 });
    expect(Array.from({ length: 7 }, () => high.next())).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('starts again from the shortest wait after a connection', () => {
    const b = exponentialBackoff({ initialMs: 1000, maxMs: 30_000, random: () => 1 });
    for (let i = 0; i < 5; i++) b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('stays bounded after very many failures', () => {
    const b = exponentialBackoff({ initialMs: 1000, maxMs: 30_000 });
    for (let i = 0; i < 10_000; i++) b.next();
    const w = b.next();
    expect(w).toBeGreaterThanOrEqual(15_000);
    expect(w).toBeLessThanOrEqual(30_000);
  });
});
