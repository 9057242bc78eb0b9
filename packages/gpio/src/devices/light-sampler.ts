// The light sensor's steady state: a reading every interval (anchored to the start, so it
// never drifts), a rolling window, and an estimate after each reading. Clock-driven, so a
// week of readings can be replayed on a virtual clock.
import type { Clock } from '../clock/clock.js';
import { periodic, runSchedule } from '../clock/schedule.js';
import type { TickSource } from '../clock/ticks.js';
import type { GpioLine } from '../pin-factory/pin-factory.js';
import { estimateLight, ReadingWindow, startCharge, type ChargeInProgress, type ChargeOptions, type ChargeReading, type EstimateOptions, type LightEstimate } from './rc-light-sensor.js';

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
  let current: ChargeInProgress | undefined;
  const onReading = (reading: ChargeReading): void => {
    current = undefined;
    window.push(reading);
    try {
      events.onReading(reading, estimateLight(window.readings, options));
    } catch (err) {
      // The app failing on a reading stops the service, as a backend error does.
      if (!signal?.aborted) events.onFailure?.(err);
    }
  };
  const onError = (err: unknown): void => {
    current = undefined;
    if (!signal?.aborted) events.onFailure?.(err);
  };
  const schedule = runSchedule(clock, clock.now(), periodic(options.interval), () => {
    if (signal?.aborted) return;
    if (current) {
      events.onSkipped?.();
      return;
    }
    current = startCharge(line, ticks, clock, options, onReading, onError);
  });
  // One listener for the sampler's life, not one per reading: stopping cancels the reading
  // under way, so no timer of it keeps the process waiting.
  const stop = (): void => {
    schedule.stop();
    current?.cancel();
    current = undefined;
  };
  signal?.addEventListener('abort', stop, { once: true });
  return { stop };
}
