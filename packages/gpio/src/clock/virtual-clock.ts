// A clock that only moves when a test says so. Timers fire in time order, and pending
// promise continuations run between timers, so async device code behaves as in real time.
import type { Clock, Timer } from './clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

const flushPromises = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private queue: Pending[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, delaySeconds: number): Timer {
    const entry: Pending = { at: this.t + Math.max(0, delaySeconds), seq: this.seq++, fn, cancelled: false };
    // Sorted insert keeps firing order stable (time, then creation order).
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1]!.at > entry.at || (this.queue[i - 1]!.at === entry.at && this.queue[i - 1]!.seq > entry.seq))) i--;
    this.queue.splice(i, 0, entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Number of timers still waiting. */
  get pending(): number {
    return this.queue.filter((p) => !p.cancelled).length;
  }

  /** Time of the next live timer, if any. */
  nextAt(): number | undefined {
    return this.queue.find((p) => !p.cancelled)?.at;
  }

  /** Move time forward by `seconds`, firing every timer due on the way. */
  async advance(seconds: number): Promise<void> {
    await this.advanceTo(this.t + seconds);
  }

  async advanceTo(target: number): Promise<void> {
    await flushPromises();
    for (;;) {
      const next = this.queue[0];
      if (!next || next.at > target) break;
      this.queue.shift();
      if (next.cancelled) continue;
      this.t = next.at;
      next.fn();
      await flushPromises();
    }
    this.t = Math.max(this.t, target);
    await flushPromises();
  }

  /** Fire timers until `done()` holds or `limitSeconds` of virtual time pass. Returns whether done() held. */
  async runUntil(done: () => boolean, limitSeconds = 3600): Promise<boolean> {
    const deadline = this.t + limitSeconds;
    await flushPromises();
    while (!done()) {
      const at = this.nextAt();
      if (at === undefined || at > deadline) return done();
      await this.advanceTo(at);
    }
    return true;
  }
}
