import { describe, expect, it } from 'vitest';
import { createThrottle } from '../src/index.js';

describe('throttle', () => {
  it('lets the first event through, then one per interval with the count since', () => {
    let t = 0;
    const th = createThrottle(60, () => t);
    expect(th.hit()).toBe(1);
    const held: (number | undefined)[] = [];
    for (t = 1; t < 60; t++) held.push(th.hit());
    expect(held.every((h) => h === undefined)).toBe(true);
    t = 60;
    expect(th.hit()).toBe(60); // the 59 held back plus this one
    t = 61;
    expect(th.hit()).toBeUndefined();
    t = 125;
    expect(th.hit()).toBe(2);
  });
});
