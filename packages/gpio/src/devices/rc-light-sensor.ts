// Light by RC timing (gpiozero's LightSensor, done without a busy loop): discharge the
// capacitor, switch to input, and let the backend timestamp the rising edge.
import type { Clock, Timer } from '../clock/clock.js';
import { tickDeltaSeconds, type TickSource } from '../clock/ticks.js';
import type { GpioLine } from '../pin-factory/pin-factory.js';
import type { EdgeEvent, Pull } from '../pin-factory/line-driver.js';
import { lightLevel, luxFromChargeTime, type RcCalibration } from '../physics/rc.js';

export type ReadingResult = 'ok' | 'timeout' | 'error';

export interface ChargeReading {
  result: ReadingResult;
  /** Seconds from the switch to input until the rising edge; NaN unless result is ok. */
  chargeSeconds: number;
  /** Clock seconds when the reading finished. */
  at: number;
  /** Why a reading failed (result "error"). */
  error?: string;
}

export interface ChargeOptions {
  /** How long to drive the pin LOW first, seconds. */
  discharge: number;
  /** Give up waiting for the edge after this many seconds. */
  timeout: number;
  pull: Pull;
}

/** A measurement under way; `cancel()` stops it where it is, and its callback never runs. */
export interface ChargeInProgress {
  cancel(): void;
}

/**
 * One RC measurement, driven by the clock's timers and the line's edge callback: LOW for
 * `discharge`, then input, then the rising edge or `timeout`. `done` gets the reading and
 * `fail` a backend error, each once, in a microtask after the event (never inside the
 * driver's own callback). No promise and no abort listener per reading: the sampler runs
 * one of these every interval, and an idle service should cost next to nothing.
 */
export function startCharge(
  line: GpioLine,
  ticks: TickSource,
  clock: Clock,
  options: ChargeOptions,
  done: (reading: ChargeReading) => void,
  fail: (error: unknown) => void,
): ChargeInProgress {
  let timer: Timer | undefined;
  let unsubscribe: (() => void) | undefined;
  let finished = false;
  let start = 0;
  const release = (): void => {
    finished = true;
    timer?.cancel();
    unsubscribe?.();
  };
  const finish = (outcome: () => ChargeReading): void => {
    if (finished) return;
    release();
    // Worked out in the microtask, not here: an edge the driver reports from inside
    // setInput() arrives before `start` holds setInput's tick.
    queueMicrotask(() => {
      let reading: ChargeReading;
      try {
        reading = outcome();
      } catch (err) {
        fail(err);
        return;
      }
      done(reading);
    });
  };
  const failNow = (err: unknown): void => {
    release();
    queueMicrotask(() => fail(err));
  };
  const onEdge = (e: EdgeEvent): void => {
    if (e.edge === 'rising') finish(() => ({ result: 'ok', chargeSeconds: Math.max(0, tickDeltaSeconds(ticks, start, e.tick)), at: clock.now() }));
  };
  const timedOut = (): void =>
    // A pin that is already HIGH and never produced an edge is stuck, not dark.
    finish(() =>
      line.read() === 1
        ? { result: 'error', chargeSeconds: NaN, at: clock.now(), error: 'pin reads HIGH without a rising edge after discharge (stuck high or shorted to 3.3 V)' }
        : { result: 'timeout', chargeSeconds: NaN, at: clock.now() },
    );
  const charge = (): void => {
    if (finished) return;
    try {
      unsubscribe = line.onEdge(onEdge);
      start = line.setInput({ pull: options.pull, edge: 'rising' });
      timer = clock.setTimer(timedOut, options.timeout);
    } catch (err) {
      failNow(err);
    }
  };
  try {
    line.setOutput(0);
    timer = clock.setTimer(charge, options.discharge);
  } catch (err) {
    failNow(err);
  }
  return { cancel: release };
}

/** One RC measurement. Never hangs: the wait is bounded by `timeout` (and `signal`). */
export function measureCharge(line: GpioLine, ticks: TickSource, clock: Clock, options: ChargeOptions, signal?: AbortSignal): Promise<ChargeReading> {
  return new Promise<ChargeReading>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    // startCharge reports in a microtask, so the abort listener below is in place first.
    const settled = (): void => signal?.removeEventListener('abort', onAbort);
    const charge = startCharge(
      line,
      ticks,
      clock,
      options,
      (r) => {
        settled();
        resolve(r);
      },
      (err) => {
        settled();
        reject(err);
      },
    );
    const onAbort = (): void => {
      charge.cancel();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface LightEstimate {
  /** Median charge time over the window; NaN when too few readings in it succeeded. */
  chargeSeconds: number;
  /** 0..1, gpiozero's formula; NaN when there is no trustworthy measurement. */
  level: number;
  /** Estimated illuminance; NaN when there is no trustworthy measurement. */
  lux: number;
  /** How many of the readings in the window were ok. */
  okInWindow: number;
  windowSize: number;
}

export interface EstimateOptions {
  /** Charge time that maps to level 0 (gpiozero's charge_time_limit). */
  chargeTimeLimit: number;
  calibration: RcCalibration;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Report the median of the window. Failed readings are not measurements: when they are half
 * the window or more, the estimate is NaN rather than an old value presented as fresh.
 */
export function estimateLight(window: readonly ChargeReading[], options: EstimateOptions): LightEstimate {
  const ok = window.filter((r) => r.result === 'ok').map((r) => r.chargeSeconds);
  const trustworthy = ok.length * 2 > window.length;
  const t = trustworthy ? median(ok) : NaN;
  return {
    chargeSeconds: t,
    level: trustworthy ? lightLevel(t, options.chargeTimeLimit) : NaN,
    lux: trustworthy ? luxFromChargeTime(t, options.calibration) : NaN,
    okInWindow: ok.length,
    windowSize: window.length,
  };
}

/** A rolling window of the last `size` readings. */
export class ReadingWindow {
  private readonly items: ChargeReading[] = [];
  constructor(readonly size: number) {}
  push(r: ChargeReading): void {
    this.items.push(r);
    if (this.items.length > this.size) this.items.shift();
  }
  get readings(): readonly ChargeReading[] {
    return this.items;
  }
}
