// --once, a lamp check: light the first phase for its duration, report what was lit as one
// JSON line on stdout, then go dark.
import { LAMPS, realClock, sleep, type Lamp, type Phase, type Pin, type TrafficLights } from '@gpio-fleet/gpio';

export interface LampCheck {
  backend: string;
  phase: string;
  lamps: readonly Lamp[];
  seconds: number;
  pins: Record<Lamp, string>;
  litAtEnd: Lamp[];
}

export async function lampCheck(lights: TrafficLights, first: Phase, pins: Readonly<Record<Lamp, Pin>>, backend: string, signal: AbortSignal): Promise<LampCheck> {
  lights.show(first.lamps);
  await sleep(realClock, first.seconds, signal).catch(() => undefined);
  return {
    backend,
    phase: first.name,
    lamps: first.lamps,
    seconds: first.seconds,
    pins: Object.fromEntries(LAMPS.map((l) => [l, pins[l].id])) as Record<Lamp, string>,
    litAtEnd: lights.lit(),
  };
}
