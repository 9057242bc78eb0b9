// --once: one reading, printed as one JSON line on stdout (logs stay on stderr).
import type { ChargeReading, LightEstimate } from '@gpio-fleet/gpio';

const json = (value: number): number | null => (Number.isFinite(value) ? value : null);

export interface SingleReading {
  pin: string;
  backend: string;
  chargeSeconds: number | null;
  level: number | null;
  lux: number | null;
  timedOut: boolean;
  error?: string;
}

export function singleReading(pin: string, backend: string, reading: ChargeReading, estimate: LightEstimate): SingleReading {
  const ok = reading.result === 'ok';
  return {
    pin,
    backend,
    chargeSeconds: json(reading.chargeSeconds),
    level: ok ? json(estimate.level) : null,
    lux: ok ? json(estimate.lux) : null,
    timedOut: reading.result === 'timeout',
    ...(reading.error ? { error: reading.error } : {}),
  };
}
