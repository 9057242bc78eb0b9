// What the status page shows of the sensor, kept as plain state: the last 10 minutes of
// estimates in a bounded ring buffer, counts by result, and whether the sensor is failing.
// No timers and no I/O: the sampler's callback feeds it, and a virtual clock drives it in tests.
import type { ChargeReading, LightEstimate, ReadingResult } from '@gpio-fleet/gpio';
import { RingBuffer } from '@gpio-fleet/runtime';

/** One point of the chart: the estimate after a reading (what /metrics reports then). */
export interface LightPoint {
  /** Clock seconds (monotonic): the page only uses differences. */
  t: number;
  lux: number | null;
  level: number | null;
  result: ReadingResult;
}

export interface LightFault {
  /** Most recent readings failed: /metrics reports NaN, as the page does. */
  failing: boolean;
  okInWindow: number;
  windowSize: number;
  /** The most recent failed reading, if there was one. */
  lastFailure: { result: ReadingResult; error: string | undefined; t: number } | undefined;
}

export interface LightUpdate {
  point: LightPoint;
  counts: Record<ReadingResult, number>;
  fault: LightFault;
}

export interface LightSnapshot {
  windowSeconds: number;
  history: LightPoint[];
  counts: Record<ReadingResult, number>;
  fault: LightFault;
}

export const HISTORY_SECONDS = 600;
/** However short the interval, the history holds at most this many points. */
export const MAX_POINTS = 3000;

// Rounded to what a chart can show: a 10-minute history stays a few tens of kilobytes.
const finite = (n: number, digits: number) => (Number.isFinite(n) ? Number(n.toPrecision(digits)) : null);
const ms = (t: number) => Math.round(t * 1000) / 1000;

export class LightStatus {
  private readonly history: RingBuffer<LightPoint>;
  private readonly counts: Record<ReadingResult, number> = { ok: 0, timeout: 0, error: 0 };
  private fault: LightFault = { failing: false, okInWindow: 0, windowSize: 0, lastFailure: undefined };

  /** `now` is the sampler's clock (seconds); `interval` the seconds between readings. */
  constructor(
    private readonly now: () => number,
    interval: number,
    readonly windowSeconds = HISTORY_SECONDS,
  ) {
    this.history = new RingBuffer(Math.min(MAX_POINTS, Math.ceil(windowSeconds / interval) + 1));
  }

  record(reading: ChargeReading, estimate: LightEstimate): void {
    const t = this.now();
    this.counts[reading.result]++;
    this.history.push({ t: ms(t), lux: finite(estimate.lux, 5), level: finite(estimate.level, 4), result: reading.result });
    this.fault = {
      failing: !Number.isFinite(estimate.lux),
      okInWindow: estimate.okInWindow,
      windowSize: estimate.windowSize,
      lastFailure: reading.result === 'ok' ? this.fault.lastFailure : { result: reading.result, error: reading.error, t: ms(t) },
    };
  }

  /** What changed with the latest reading; undefined before the first one. */
  update(): LightUpdate | undefined {
    const point = this.history.last();
    return point && { point, counts: { ...this.counts }, fault: this.fault };
  }

  snapshot(): LightSnapshot {
    const since = this.now() - this.windowSeconds;
    return { windowSeconds: this.windowSeconds, history: this.history.toArray().filter((p) => p.t >= since), counts: { ...this.counts }, fault: this.fault };
  }
}
