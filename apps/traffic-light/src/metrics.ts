// The metric names are a contract with dashboards and alerts: change them only with care.
import { LAMPS, type Lamp, type Phase } from '@gpio-fleet/gpio';
import { Counter, Gauge, Histogram, logBuckets, type Registry } from '@gpio-fleet/runtime';

export interface TrafficLightMetrics {
  phase(current: Phase | undefined, lateness?: number): void;
  lamps(lit: readonly Lamp[]): void;
  cycleDone(): void;
}

export function createTrafficLightMetrics(registry: Registry, phases: readonly Phase[]): TrafficLightMetrics {
  const lampOn = new Gauge({ name: 'traffic_light_lamp_on', help: 'Whether each lamp is lit (1) or off (0).', labelNames: ['lamp'] as const, registers: [registry] });
  const phaseGauge = new Gauge({ name: 'traffic_light_phase', help: 'The current phase (1) and the others (0).', labelNames: ['phase'] as const, registers: [registry] });
  const cycles = new Counter({ name: 'traffic_light_cycles_total', help: 'Completed cycles through all phases.', registers: [registry] });
  const lateness = new Histogram({
    name: 'traffic_light_phase_lateness_seconds',
    help: 'How late each phase boundary fired relative to its schedule (never accumulates: boundaries are anchored to the start).',
    buckets: logBuckets(1e-4, 1, 3),
    registers: [registry],
  });
  const names = [...new Set(phases.map((p) => p.name))];
  for (const l of LAMPS) lampOn.set({ lamp: l }, 0);
  for (const n of names) phaseGauge.set({ phase: n }, 0);
  cycles.inc(0);
  return {
    phase(current, late) {
      for (const n of names) phaseGauge.set({ phase: n }, current?.name === n ? 1 : 0);
      if (late !== undefined) lateness.observe(late);
    },
    lamps(lit) {
      for (const l of LAMPS) lampOn.set({ lamp: l }, lit.includes(l) ? 1 : 0);
    },
    cycleDone: () => cycles.inc(),
  };
}
