// The driver contract. A backend (gpiozero's "pin factory") is a LineDriver; PinFactory
// wraps any driver with the parts every backend shares: name resolution, reservations and
// closed-state checks. Drivers only talk to hardware.
import type { TickSource } from '../clock/ticks.js';

export type Level = 0 | 1;
export type Pull = 'up' | 'down' | 'none';
export type EdgeDetect = 'none' | 'rising' | 'falling' | 'both';
export type Direction = 'input' | 'output';

export const BACKEND_NAMES = ['mock', 'pigpio', 'onoff', 'gpiochip', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface EdgeEvent {
  readonly edge: 'rising' | 'falling';
  /** Level after the edge. */
  readonly level: Level;
  /** Timestamp on the backend's own tick counter (see TickSource). */
  readonly tick: number;
}

export type LineConfig =
  | { readonly direction: 'input'; readonly pull: Pull; readonly edge: EdgeDetect }
  | { readonly direction: 'output'; readonly level: Level };

/** One claimed line, as the driver sees it. */
export interface DriverLine {
  read(): Level;
  write(level: Level): void;
  /**
   * Change direction/bias/edge while keeping the line claimed (RC timing needs this).
   * Returns the tick at which the new configuration took effect.
   */
  reconfigure(config: LineConfig): number;
  /** Edge events as configured; returns an unsubscribe function. */
  onEdge(listener: (event: EdgeEvent) => void): () => void;
  release(): Promise<void>;
}

export interface LineDriver {
  readonly name: BackendName;
  /** True when nothing physical is attached (the mock). Reported in logs and metrics. */
  readonly simulated: boolean;
  readonly ticks: TickSource;
  /** Claim BCM line `bcm` for `consumer` with an initial configuration. */
  claim(bcm: number, consumer: string, config: LineConfig): Promise<DriverLine>;
  close(): Promise<void>;
}
