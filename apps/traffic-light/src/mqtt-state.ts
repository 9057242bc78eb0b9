// What the traffic light says on MQTT: the phase and the lamps at each phase change, and the
// entities Home Assistant makes of them.
import { LAMPS, type Lamp, type Phase } from '@gpio-fleet/gpio';
import type { DiscoveryEntity } from '@gpio-fleet/runtime';

/** The JSON on <prefix>/<node>/traffic-light/state. */
export interface SignalState {
  /** The phase's name as in the metrics: red, red_amber, green, amber, off. */
  phase: string;
  /** Each lamp as the GPIO lines drive it (read back, not taken from the schedule). */
  lamps: Record<Lamp, boolean>;
  cycle: number;
  /** When the phase began, ISO 8601. */
  timestamp: string;
}

export function signalState(phase: Phase, lit: readonly Lamp[], cycle: number, now: Date): SignalState {
  return {
    phase: phase.name,
    lamps: Object.fromEntries(LAMPS.map((l) => [l, lit.includes(l)])) as Record<Lamp, boolean>,
    cycle,
    timestamp: now.toISOString(),
  };
}

/** A phase sensor (an enum of the configured phases) and one binary sensor per lamp. */
export function signalEntities(phases: readonly Phase[]): DiscoveryEntity[] {
  return [
    {
      component: 'sensor',
      key: 'phase',
      name: 'Phase',
      deviceClass: 'enum',
      options: [...new Set(phases.map((p) => p.name))],
      valueTemplate: '{{ value_json.phase }}',
      icon: 'mdi:traffic-light',
    },
    ...LAMPS.map(
      (lamp): DiscoveryEntity => ({
        component: 'binary_sensor',
        key: `${lamp}_lamp`,
        name: `${lamp[0]!.toUpperCase()}${lamp.slice(1)} lamp`,
        deviceClass: 'light',
        payloadOn: 'ON',
        payloadOff: 'OFF',
        valueTemplate: `{{ 'ON' if value_json.lamps.${lamp} else 'OFF' }}`,
      }),
    ),
  ];
}
