// Three lamps and the phases they go through. The sequence is data; timing comes from the
// drift-free scheduler; only TrafficLights.show() touches the pins.
import type { Clock } from '../clock/clock.js';
import { runSchedule } from '../clock/schedule.js';
import type { GpioLine } from '../pin-factory/pin-factory.js';

export const LAMPS = ['red', 'amber', 'green'] as const;
export type Lamp = (typeof LAMPS)[number];

export interface Phase {
  /** e.g. "red", "red_amber"; derived from the lamps in LAMPS order, "off" for none. */
  readonly name: string;
  readonly lamps: readonly Lamp[];
  readonly seconds: number;
}

export const phaseName = (lamps: readonly Lamp[]): string =>
  lamps.length === 0 ? 'off' : LAMPS.filter((l) => lamps.includes(l)).join('_');

export function phase(lamps: readonly Lamp[], seconds: number): Phase {
  const sorted = LAMPS.filter((l) => lamps.includes(l));
  return { name: phaseName(sorted), lamps: sorted, seconds };
}

/** The original C program's cycle: red 3 s, red+amber 1 s, green 5 s, amber 2 s. */
export const DEFAULT_PHASES: readonly Phase[] = [
  phase(['red'], 3),
  phase(['red', 'amber'], 1),
  phase(['green'], 5),
  phase(['amber'], 2),
];

export const cycleSeconds = (phases: readonly Phase[]): number => phases.reduce((s, p) => s + p.seconds, 0);

/**
 * Offset (seconds from start) of boundary `index`: boundary k*n+i starts phase i of cycle k.
 * With `cycles` set, one extra boundary marks the end of the last cycle.
 */
export function phaseOffset(phases: readonly Phase[], index: number, cycles = Infinity): number | undefined {
  const n = phases.length;
  const cycle = Math.floor(index / n);
  if (cycle > cycles || (cycle === cycles && index % n !== 0)) return undefined;
  let offset = cycle * cycleSeconds(phases);
  for (let i = 0; i < index % n; i++) offset += phases[i]!.seconds;
  return offset;
}

export class TrafficLights {
  constructor(private readonly lines: Readonly<Record<Lamp, GpioLine>>) {}

  /** Light exactly `lamps`. Every lamp is written even if one fails; the first error is rethrown. */
  show(lamps: readonly Lamp[]): void {
    let first: Error | undefined;
    for (const lamp of LAMPS) {
      try {
        this.lines[lamp].write(lamps.includes(lamp) ? 1 : 0);
      } catch (err) {
        first ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (first !== undefined) throw first;
  }

  off(): void {
    this.show([]);
  }

  /** Which lamps the pins are driving now. */
  lit(): Lamp[] {
    return LAMPS.filter((l) => this.lines[l].config.direction === 'output' && this.lines[l].read() === 1);
  }
}

export interface PhaseChange {
  phase: Phase;
  /** Index of the phase within the cycle. */
  index: number;
  /** 0-based cycle number. */
  cycle: number;
  /** Seconds the boundary fired after it was due. */
  lateness: number;
}

export interface SequenceOptions {
  phases: readonly Phase[];
  /** Stop after this many cycles (Infinity = run until stopped). */
  cycles?: number;
  onPhase?: (change: PhaseChange) => void;
  onCycleComplete?: (cyclesDone: number) => void;
}

export interface RunningSequence {
  /** Resolves when the cycles are done or stop() was called; rejects if a lamp write failed. */
  done: Promise<void>;
  stop(): void;
}

/** Run the phases against `lights` on `clock`, every boundary anchored to the start instant. */
export function runSequence(lights: TrafficLights, clock: Clock, options: SequenceOptions): RunningSequence {
  const { phases } = options;
  const cycles = options.cycles ?? Infinity;
  const n = phases.length;
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const schedule = runSchedule(
    clock,
    clock.now(),
    (i) => phaseOffset(phases, i, cycles),
    (b) => {
      const cycle = Math.floor(b.index / n);
      const index = b.index % n;
      if (b.index > 0 && index === 0) options.onCycleComplete?.(cycle);
      if (cycle >= cycles) return; // the closing boundary: the caller switches off
      const p = phases[index]!;
      try {
        lights.show(p.lamps);
      } catch (err) {
        schedule.stop();
        reject(err);
        return;
      }
      options.onPhase?.({ phase: p, index, cycle, lateness: b.lateness });
    },
    () => resolve(),
  );
  return {
    done,
    stop() {
      schedule.stop();
      resolve();
    },
  };
}
