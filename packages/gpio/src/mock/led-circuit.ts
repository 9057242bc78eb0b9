// An LED from the pin to ground through a resistor: lit while the pin drives HIGH.
// Records every change with its time, like gpiozero's MockPin history.
import type { Level, LineConfig } from '../backend/types.js';
import type { Circuit } from './circuit.js';

export interface LedChange {
  t: number;
  on: boolean;
}

export class LedCircuit implements Circuit {
  readonly history: LedChange[] = [];
  private lit = false;

  constructor(readonly label = 'led') {}

  get on(): boolean {
    return this.lit;
  }

  drive(config: LineConfig, t: number): void {
    const lit = config.direction === 'output' && config.level === 1;
    if (lit !== this.lit || this.history.length === 0) this.history.push({ t, on: lit });
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
