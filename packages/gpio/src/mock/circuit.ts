// What a simulated pin is wired to. The mock pin tells its circuit how it is driven; the
// circuit answers what level an input reads and when that level will next change.
import type { Level, LineConfig } from '../pin-factory/line-driver.js';

export interface Transition {
  /** Clock seconds at which the input level changes (exact simulated time). */
  at: number;
  level: Level;
}

export interface Circuit {
  /** The pin's configuration changed at clock time `t` (also called once on claim). */
  drive(config: LineConfig, t: number): void;
  /** The level an input reads at `t`. */
  levelAt(t: number): Level;
  /** The next change of the input level after `t` under the current drive, if any. */
  nextTransition(t: number): Transition | undefined;
  /** Conditions outside the pin changed (e.g. light): the pin must re-plan its events. */
  onExternalChange(listener: () => void): () => void;
}

/** A floating input with only the pin's own pull: reads the pull level, never changes. */
export class OpenCircuit implements Circuit {
  private level: Level = 0;
  drive(config: LineConfig): void {
    this.level = config.direction === 'output' ? config.level : config.pull === 'up' ? 1 : 0;
  }
  levelAt(): Level {
    return this.level;
  }
  nextTransition(): undefined {
    return undefined;
  }
  onExternalChange(): () => void {
    return () => undefined;
  }
}
