// The metric names are a contract with dashboards and alerts: change them only with care.
import { Counter, Gauge, Histogram, logBuckets, type Registry } from '@gpio-fleet/runtime';
import type { ChargeReading, LightEstimate } from '@gpio-fleet/gpio';

export interface SensorMetrics {
  record(reading: ChargeReading, estimate: LightEstimate, wallSeconds: number): void;
  /** A reading boundary passed while the previous reading was still running. */
  skipped(): void;
}

export function createSensorMetrics(registry: Registry): SensorMetrics {
  const level = new Gauge({
    name: 'light_sensor_level',
    help: 'Light level 0..1 (gpiozero formula, median of the window); NaN when most recent readings failed.',
    registers: [registry],
  });
  const lux = new Gauge({
    name: 'light_sensor_illuminance_lux',
    help: 'Estimated illuminance in lux from the RC model (median of the window); NaN when most recent readings failed.',
    registers: [registry],
  });
  const charge = new Histogram({
    name: 'light_sensor_charge_seconds',
    help: 'Capacitor charge time of each successful reading.',
    buckets: logBuckets(1e-4, 1, 3),
    registers: [registry],
  });
  const readings = new Counter({
    name: 'light_sensor_readings_total',
    help: 'Readings taken, by result (ok, timeout: no rising edge in time, error: e.g. pin stuck high).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const last = new Gauge({
    name: 'light_sensor_last_reading_timestamp_seconds',
    help: 'Unix time of the last successful reading; alert on time() minus this to catch a sensor that stopped.',
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'light_sensor_readings_skipped_total',
    help: 'Reading boundaries skipped because the previous reading was still running (an interval shorter than discharge + charge time).',
    registers: [registry],
  });
  for (const r of ['ok', 'timeout', 'error']) readings.inc({ result: r }, 0);
  level.set(NaN);
  lux.set(NaN);

  return {
    record(reading, estimate, wallSeconds) {
      readings.inc({ result: reading.result });
      if (reading.result === 'ok') {
        charge.observe(reading.chargeSeconds);
        last.set(wallSeconds);
      }
      level.set(estimate.level);
      lux.set(estimate.lux);
    },
    skipped: () => skipped.inc(),
  };
}
