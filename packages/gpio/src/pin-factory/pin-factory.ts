// Reservations live here, once, for every backend: a second claim of a held pin fails
// with the holder's name, whichever driver is underneath.
import { ClosedError, PinInUseError } from '../errors.js';
import type { TickSource } from '../clock/ticks.js';
import { parsePin, type Pin } from '../pins/parse.js';
import type { DriverLine, EdgeDetect, EdgeEvent, Level, LineConfig, LineDriver, Pull } from './line-driver.js';

export interface InputOptions {
  pull?: Pull;
  edge?: EdgeDetect;
}

/** A claimed pin. Close it to release the reservation. */
export class GpioLine {
  private closed = false;
  private current: LineConfig;

  constructor(
    readonly pin: Pin,
    readonly consumer: string,
    private readonly line: DriverLine,
    initial: LineConfig,
    private readonly onClose: () => void,
  ) {
    this.current = initial;
  }

  get direction(): LineConfig['direction'] {
    return this.current.direction;
  }

  get config(): LineConfig {
    return this.current;
  }

  private check(): void {
    if (this.closed) throw new ClosedError(`${this.pin.id} (${this.consumer}) is closed`);
  }

  read(): Level {
    this.check();
    return this.line.read();
  }

  write(level: Level): void {
    this.check();
    if (this.current.direction !== 'output') {
      throw new Error(`${this.pin.id} is an input; switch it to output before writing`);
    }
    this.line.write(level);
    this.current = { direction: 'output', level };
  }

  /** Switch to input without releasing the pin; returns the backend tick of the switch. */
  setInput(options: InputOptions = {}): number {
    this.check();
    const config: LineConfig = { direction: 'input', pull: options.pull ?? 'none', edge: options.edge ?? 'none' };
    const tick = this.line.reconfigure(config);
    this.current = config;
    return tick;
  }

  /** Switch to output driving `level` without releasing the pin; returns the backend tick. */
  setOutput(level: Level): number {
    this.check();
    const config: LineConfig = { direction: 'output', level };
    const tick = this.line.reconfigure(config);
    this.current = config;
    return tick;
  }

  onEdge(listener: (event: EdgeEvent) => void): () => void {
    this.check();
    return this.line.onEdge(listener);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.line.release();
    } finally {
      this.onClose();
    }
  }
}

export class PinFactory {
  private readonly held = new Map<number, GpioLine>();
  private closed = false;

  constructor(readonly driver: LineDriver) {}

  get name(): LineDriver['name'] {
    return this.driver.name;
  }

  get simulated(): boolean {
    return this.driver.simulated;
  }

  get ticks(): TickSource {
    return this.driver.ticks;
  }

  /** Who holds `pin`, if anyone. */
  holderOf(pin: string | Pin): string | undefined {
    const p = typeof pin === 'string' ? parsePin(pin) : pin;
    return this.held.get(p.bcm)?.consumer;
  }

  /** Pins currently claimed, by canonical id. */
  claimed(): string[] {
    return [...this.held.values()].map((l) => l.pin.id);
  }

  async openInput(pin: string | Pin, consumer: string, options: InputOptions = {}): Promise<GpioLine> {
    return this.open(pin, consumer, { direction: 'input', pull: options.pull ?? 'none', edge: options.edge ?? 'none' });
  }

  async openOutput(pin: string | Pin, consumer: string, initial: Level = 0): Promise<GpioLine> {
    return this.open(pin, consumer, { direction: 'output', level: initial });
  }

  private async open(pinOrName: string | Pin, consumer: string, config: LineConfig): Promise<GpioLine> {
    if (this.closed) throw new ClosedError(`${this.driver.name} backend is closed`);
    const pin = typeof pinOrName === 'string' ? parsePin(pinOrName) : pinOrName;
    const holder = this.held.get(pin.bcm);
    if (holder) throw new PinInUseError(pin.id, holder.consumer, consumer);
    // Reserve before the await so two concurrent opens cannot both pass the check.
    const placeholder = { consumer } as GpioLine;
    this.held.set(pin.bcm, placeholder);
    let driverLine: DriverLine;
    try {
      driverLine = await this.driver.claim(pin.bcm, consumer, config);
    } catch (err) {
      this.held.delete(pin.bcm);
      throw err;
    }
    if (this.closed) {
      // The factory was closed while the driver claimed the line: close() could not see it,
      // so release it here rather than leave a line held by nobody.
      await driverLine.release();
      throw new ClosedError(`${this.driver.name} backend was closed while ${pin.id} was being claimed`);
    }
    const line = new GpioLine(pin, consumer, driverLine, config, () => {
      if (this.held.get(pin.bcm) === line) this.held.delete(pin.bcm);
    });
    this.held.set(pin.bcm, line);
    return line;
  }

  /** Release every line (best effort, errors collected) and close the driver. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    for (const line of [...this.held.values()]) {
      try {
        if (line instanceof GpioLine) await line.close();
      } catch (err) {
        errors.push(err);
      }
    }
    this.held.clear();
    try {
      await this.driver.close();
    } catch (err) {
      errors.push(err);
    }
    if (errors.length > 0) throw new AggregateError(errors, `${this.driver.name} backend: errors while closing`);
  }
}
