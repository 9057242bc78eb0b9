// The light sensor's steady state: a reading every interval (anchored to the start, so it
// never drifts), a rolling window, and an estimate after each reading. Clock-driven, so a
// week of readings can be replayed on a virtual clock.
import type { Clock } from '../clock/clock.js';
import { periodic, runSchedule } from '../clock/schedule.js';
import type { TickSource } from '../clock/ticks.js';
import type { GpioLine } from '../pin-factory/pin-factory.js';
import { estimateLight, measureCharge, ReadingWindow, type ChargeOptions, type ChargeReading, type EstimateOptions, type LightEstimate } from './rc-light-sensor.js';

export interface SamplerOptions extends ChargeOptions, EstimateOptions {
  /** Seconds between reading starts. */
  interval: number;
  /** Median over this many readings. */
  queueLen: number;
}

export interface SamplerEvents {
  onReading(reading: ChargeReading, estimate: LightEstimate): void;
  /** A boundary arrived while the previous reading was still running. */
  onSkipped?(): void;
  /** A reading threw (a backend failure, not a timeout). */
  onFailure?(error: unknown): void;
}

export function runLightSampler(
  line: GpioLine,
  ticks: TickSource,
  clock: Clock,
  options: SamplerOptions,
  events: SamplerEvents,
  signal?: AbortSignal,
): { stop(): void } {
  const window = new ReadingWindow(options.queueLen);
  let busy = false;
  const schedule = runSchedule(clock, clock.now(), periodic(options.interval), () => {
    if (signal?.aborted) return;
    if (busy) {
      events.onSkipped?.();
      return;
    }
    busy = true;
    measureCharge(line, ticks, clock, options, signal)
      .then((reading) => {
        window.push(reading);
        events.onReading(reading, estimateLight(window.readings, options));
      })
      .catch((err: unknown) => {
        if (!signal?.aborted) events.onFailure?.(err);
      })
      .finally(() => (busy = false));
  });
  signal?.addEventListener('abort', () => schedule.stop(), { once: true });
  return schedule;
}
