// Wall-independent real time: performance.now() is monotonic, unlike Date.now().
import { performance } from 'node:perf_hooks';
import type { Clock, Timer } from './clock.js';

export class RealClock implements Clock {
  now(): number {
    return performance.now() / 1000;
  }

  setTimer(fn: () => void, delaySeconds: number): Timer {
    // Node's timers count whole milliseconds and truncate a fraction, so an unrounded delay
    // fires up to 1 ms early; a schedule that never starts early then has to arm a second
    // timer for the rest: an extra wake-up on most boundaries of an idle service.
    const handle = setTimeout(fn, Math.max(0, Math.ceil(delaySeconds * 1000)));
    return { cancel: () => clearTimeout(handle) };
  }
}

export const realClock: Clock = new RealClock();
