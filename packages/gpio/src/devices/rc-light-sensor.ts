// Light by RC timing (gpiozero's LightSensor, done without a busy loop): discharge the
// capacitor, switch to input, and let the backend timestamp the rising edge.
import { sleep, type Clock } from '../clock/clock.js';
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

/** One RC measurement. Never hangs: the wait is bounded by `timeout` (and `signal`). */
export async function measureCharge(
  line: GpioLine,
  ticks: TickSource,
  clock: Clock,
  options: ChargeOptions,
  signal?: AbortSignal,
): Promise<ChargeReading> {
  line.setOutput(0);
  await sleep(clock, options.discharge, signal);

  let onEdge: (e: EdgeEvent) => void = () => undefined;
  const edge = new Promise<EdgeEvent>((resolve) => (onEdge = (e) => e.edge === 'rising' && resolve(e)));
  const unsubscribe = line.onEdge((e) => onEdge(e));
  let timer: { cancel(): void } | undefined;
  let abortListener: (() => void) | undefined;
  try {
    const start = line.setInput({ pull: options.pull, edge: 'rising' });
    const timedOut = new Promise<'timeout'>((resolve) => (timer = clock.setTimer(() => resolve('timeout'), options.timeout)));
    const aborted = new Promise<never>((_, reject) => {
      if (!signal) return;
      abortListener = () => reject(signal.reason);
      if (signal.aborted) abortListener();
      else signal.addEventListener('abort', abortListener, { once: true });
    });
    const winner = await Promise.race([edge, timedOut, aborted]);
    if (winner === 'timeout') {
      // A pin that is already HIGH and never produced an edge is stuck, not dark.
      if (line.read() === 1) {
        return { result: 'error', chargeSeconds: NaN, at: clock.now(), error: 'pin reads HIGH without a rising edge after discharge (stuck high or shorted to 3.3 V)' };
      }
      return { result: 'timeout', chargeSeconds: NaN, at: clock.now() };
    }
    const seconds = Math.max(0, tickDeltaSeconds(ticks, start, winner.tick));
    return { result: 'ok', chargeSeconds: seconds, at: clock.now() };
  } finally {
    timer?.cancel();
    if (abortListener) signal?.removeEventListener('abort', abortListener);
    unsubscribe();
  }
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
