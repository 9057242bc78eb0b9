// An LED from the pin to ground through a resistor: lit while the pin drives HIGH.
// Records every change with its time, like gpiozero's MockPin history.
import type { Level, LineConfig } from '../pin-factory/line-driver.js';
import type { Circuit } from './circuit.js';
import { DEFAULT_HISTORY_LIMIT, pushBounded } from './history.js';

export interface LedChange {
  t: number;
  on: boolean;
}

export class LedCircuit implements Circuit {
  readonly history: LedChange[] = [];
  private lit = false;

  /** `historyLimit`: how many recent changes to keep. */
  constructor(
    readonly label = 'led',
    private readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {}

  get on(): boolean {
    return this.lit;
  }

  drive(config: LineConfig, t: number): void {
    const lit = config.direction === 'output' && config.level === 1;
    if (lit !== this.lit || this.history.length === 0) pushBounded(this.history, { t, on: lit }, this.historyLimit);
    this.lit = lit;
  }

  levelAt(): Level {
    return this.lit ? 1 : 0;
  }

  nextTransition(): undefined {
    return undefined;
  }

  onExternalChange(): () => void {
    return () => undefined;
  }
}
