// What the light sensor says on MQTT: its state after each reading, the entities Home
// Assistant makes of it, and which readings are worth a message before the heartbeat.
import type { ChargeReading, LightEstimate, ReadingResult } from '@gpio-fleet/gpio';
import type { DiscoveryEntity } from '@gpio-fleet/runtime';

/** The JSON on <prefix>/<node>/light-sensor/state. null where the metrics say NaN. */
export interface LightState {
  /** Median of the window, as light_sensor_illuminance_lux. */
  lux: number | null;
  /** Median of the window, as light_sensor_level. */
  level: number | null;
  /** This reading's charge time; null unless it succeeded. */
  chargeSeconds: number | null;
  result: ReadingResult;
  /** When the reading finished, ISO 8601. */
  timestamp: string;
}

/** Illuminance in lx (Home Assistant's unit for device_class illuminance; it refuses "lux"), and the level. */
export const LIGHT_ENTITIES: readonly DiscoveryEntity[] = [
  {
    component: 'sensor',
    key: 'illuminance',
    name: 'Illuminance',
    deviceClass: 'illuminance',
    unit: 'lx',
    stateClass: 'measurement',
    valueTemplate: '{{ value_json.lux }}',
    suggestedDisplayPrecision: 1,
  },
  {
    component: 'sensor',
    key: 'level',
    name: 'Light level',
    stateClass: 'measurement',
    valueTemplate: '{{ value_json.level }}',
    icon: 'mdi:brightness-6',
    suggestedDisplayPrecision: 2,
  },
];

const json = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function lightState(reading: ChargeReading, estimate: LightEstimate, now: Date): LightState {
  return {
    lux: json(estimate.lux),
    level: json(estimate.level),
    chargeSeconds: reading.result === 'ok' ? json(reading.chargeSeconds) : null,
    result: reading.result,
    timestamp: now.toISOString(),
  };
}

/**
 * Whether a state should go out at once (--mqtt-min-delta): when lux moved by more than
 * `minDelta` (a fraction: 0.05 is 5 %) since the last one that went out, when the result
 * changed, or when lux became known or unknown. Lux spans decades, so the change is relative;
 * 0 sends every reading. Everything else waits for the heartbeat.
 */
export function createChangeFilter(minDelta: number): (state: LightState) => boolean {
  let last: LightState | undefined;
  return (state) => {
    const significant = last === undefined || minDelta === 0 || movedEnough(last, state, minDelta);
    if (significant) last = state;
    return significant;
  };
}

function movedEnough(last: LightState, now: LightState, minDelta: number): boolean {
  if (now.result !== last.result || (now.lux === null) !== (last.lux === null)) return true;
  return now.lux !== null && last.lux !== null && Math.abs(now.lux - last.lux) > minDelta * last.lux;
}
