// The part of the npm `pigpio` package this backend uses, typed here because the package is
// an optional peer dependency (its own .d.ts may be absent at build time). Names and numbers
// match pigpio 3.x (pigpio.js and the C library's PI_* constants).

export type AlertListener = (level: number, tick: number) => void;

export interface PigpioGpio {
  mode(mode: number): unknown;
  pullUpDown(pud: number): unknown;
  digitalRead(): number;
  digitalWrite(level: number): unknown;
  /** Start sampling this GPIO; level changes are emitted as 'alert' (level, tick). */
  enableAlert(): unknown;
  disableAlert(): unknown;
  on(event: 'alert', listener: AlertListener): unknown;
  removeListener(event: 'alert', listener: AlertListener): unknown;
}

export interface PigpioGpioClass {
  new (gpio: number): PigpioGpio;
  readonly INPUT: number;
  readonly OUTPUT: number;
  readonly PUD_OFF: number;
  readonly PUD_DOWN: number;
  readonly PUD_UP: number;
}

export interface PigpioModule {
  readonly Gpio: PigpioGpioClass;
  initialize(): void;
  terminate(): void;
  /** Microseconds since boot as a uint32 (wraps after ~72 minutes). */
  getTick(): number;
  configureInterfaces(flags: number): number;
  readonly DISABLE_FIFO_IF: number;
  readonly DISABLE_SOCK_IF: number;
}

/** pigpio reports level 2 (PI_TIMEOUT) when a watchdog fires without a level change. */
export const PIGPIO_ALERT_TIMEOUT = 2;
