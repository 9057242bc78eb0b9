// Wall-independent real time: performance.now() is monotonic, unlike Date.now().
import { performance } from 'node:perf_hooks';
import type { Clock, Timer } from './clock.js';

export class RealClock implements Clock {
  now(): number {
    return performance.now() / 1000;
  }

  setTimer(fn: () => void, delaySeconds: number): Timer {
    const handle = setTimeout(fn, Math.max(0, delaySeconds * 1000));
    return { cancel: () => clearTimeout(handle) };
  }
}

export const realClock: Clock = new RealClock();
