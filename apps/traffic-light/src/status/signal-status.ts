// What the status page shows of the traffic light, kept as plain state: the lamps as the GPIO
// lines drive them (read back from the lines, never recomputed from the schedule), the phase
// and when it ends (from the sequence's own boundary), and recent phases with their lateness.
// No timers and no I/O: the sequence's callbacks feed it; a virtual clock drives it in tests.
import type { Lamp, PhaseChange } from '@gpio-fleet/gpio';
import { RingBuffer } from '@gpio-fleet/runtime';

export interface PhaseRecord {
  name: string;
  cycle: number;
  seconds: number;
  /** How late the boundary that started it fired. */
  latenessSeconds: number;
}

export interface SignalSnapshot {
  /** Lamps lit now, as read from their lines. */
  lit: Lamp[];
  /** The phase showing, and the seconds until its boundary; undefined when dark. */
  phase: (PhaseRecord & { remainingSeconds: number }) | undefined;
  /** The most recent phases, oldest first (the current one last). */
  recent: PhaseRecord[];
  cycles: number;
}

export const RECENT_PHASES = 12;

export class SignalStatus {
  private lit: Lamp[] = [];
  private current: { record: PhaseRecord; endsAt: number } | undefined;
  private readonly recent = new RingBuffer<PhaseRecord>(RECENT_PHASES);
  private cycles = 0;

  /** `now` is the sequence's clock (seconds). */
  constructor(private readonly now: () => number) {}

  /** A boundary fired and the lines now show `lit`. */
  phaseShown(change: PhaseChange, lit: readonly Lamp[]): void {
    // The boundary was due `lateness` ago; the phase ends its length after that, as the
    // anchored schedule has it, however late this callback ran.
    const due = this.now() - change.lateness;
    const record = { name: change.phase.name, cycle: change.cycle, seconds: change.phase.seconds, latenessSeconds: change.lateness };
    this.current = { record, endsAt: due + change.phase.seconds };
    this.recent.push(record);
    this.lit = [...lit];
  }

  /** The lines changed outside a phase (switched off when stopping, or after a failed write). */
  lampsChanged(lit: readonly Lamp[]): void {
    this.lit = [...lit];
    if (lit.length === 0) this.current = undefined;
  }

  cycleDone(cycles: number): void {
    this.cycles = cycles;
  }

  snapshot(): SignalSnapshot {
    const c = this.current;
    return {
      lit: [...this.lit],
      phase: c && { ...c.record, remainingSeconds: Math.max(0, c.endsAt - this.now()) },
      recent: this.recent.toArray(),
      cycles: this.cycles,
    };
  }
}
