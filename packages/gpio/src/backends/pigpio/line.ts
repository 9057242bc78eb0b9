// One BCM GPIO driven through the pigpio library. Edges come from pigpio alerts, which carry
// the library's own µs sampling tick, so RC timing does not depend on when Node runs.
import { ClosedError, HardwareError } from '../../errors.js';
import type { DriverLine, EdgeEvent, Level, LineConfig, Pull } from '../../pin-factory/line-driver.js';
import { alertToEdge, toUint32Tick } from './alerts.js';
import type { PigpioGpio, PigpioModule } from './module-api.js';

function pud(pigpio: PigpioModule, pull: Pull): number {
  switch (pull) {
    case 'up':
      return pigpio.Gpio.PUD_UP;
    case 'down':
      return pigpio.Gpio.PUD_DOWN;
    case 'none':
      return pigpio.Gpio.PUD_OFF;
  }
}

/** Run one pigpio call, turning its "pigpio error -N in gpioX" into a HardwareError naming the pin. */
function call<T>(bcm: number, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new HardwareError(`pigpio: ${what} on GPIO${bcm} failed: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

export class PigpioLine implements DriverLine {
  private readonly gpio: PigpioGpio;
  private config: LineConfig;
  private alerting = false;
  private released = false;
  private readonly listeners = new Set<(event: EdgeEvent) => void>();

  private readonly onAlert = (level: number, tick: number): void => {
    if (this.released || this.config.direction !== 'input') return;
    const event = alertToEdge(level, tick, this.config.edge);
    if (!event) return;
    for (const l of [...this.listeners]) l(event);
  };

  constructor(
    private readonly pigpio: PigpioModule,
    readonly bcm: number,
    config: LineConfig,
  ) {
    this.gpio = call(bcm, 'opening', () => new pigpio.Gpio(bcm));
    this.gpio.on('alert', this.onAlert);
    this.config = config;
    this.apply(config);
  }

  read(): Level {
    this.check();
    return call(this.bcm, 'read', () => this.gpio.digitalRead()) ? 1 : 0;
  }

  write(level: Level): void {
    this.check();
    if (this.config.direction !== 'output') {
      this.apply({ direction: 'output', level });
      return;
    }
    call(this.bcm, 'write', () => this.gpio.digitalWrite(level));
    this.config = { direction: 'output', level };
  }

  reconfigure(config: LineConfig): number {
    this.check();
    return this.apply(config);
  }

  onEdge(listener: (event: EdgeEvent) => void): () => void {
    this.check();
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async release(): Promise<void> {
    if (this.released) return;
    // Leave the pin as a floating input, the state it has after boot, so nothing stays driven.
    try {
      this.setAlerting(false);
      call(this.bcm, 'release', () => {
        this.gpio.pullUpDown(this.pigpio.Gpio.PUD_OFF);
        this.gpio.mode(this.pigpio.Gpio.INPUT);
      });
    } finally {
      this.released = true;
      this.gpio.removeListener('alert', this.onAlert);
      this.listeners.clear();
    }
  }

  get isReleased(): boolean {
    return this.released;
  }

  private check(): void {
    if (this.released) throw new ClosedError(`pigpio GPIO${this.bcm} has been released`);
  }

  private setAlerting(on: boolean): void {
    if (on === this.alerting) return;
    call(this.bcm, on ? 'enabling alerts' : 'disabling alerts', () => (on ? this.gpio.enableAlert() : this.gpio.disableAlert()));
    this.alerting = on;
  }

  /** Apply `config`; returns the pigpio tick right after the direction took effect. */
  private apply(config: LineConfig): number {
    this.config = config;
    if (config.direction === 'input') {
      call(this.bcm, `setting pull ${config.pull}`, () => this.gpio.pullUpDown(pud(this.pigpio, config.pull)));
      // Sample before the switch to input, so an edge right after it (RC charging) is not missed.
      this.setAlerting(config.edge !== 'none');
      call(this.bcm, 'switching to input', () => this.gpio.mode(this.pigpio.Gpio.INPUT));
    } else {
      this.setAlerting(false);
      // gpioWrite sets the output latch before it switches the pin to output, so the pin
      // never drives a stale level; mode() only states the direction explicitly.
      call(this.bcm, `writing ${config.level}`, () => this.gpio.digitalWrite(config.level));
      call(this.bcm, 'switching to output', () => this.gpio.mode(this.pigpio.Gpio.OUTPUT));
    }
    return toUint32Tick(this.pigpio.getTick());
  }
}
