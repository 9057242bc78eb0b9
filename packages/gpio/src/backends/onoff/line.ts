// One GPIO through onoff (sysfs). sysfs cannot set pull resistors, so asking for one is an
// error rather than a silently floating input; edges are stamped when onoff's callback runs.
import { ClosedError, InvalidValueError } from '../../errors.js';
import type { DriverLine, EdgeDetect, EdgeEvent, Level, LineConfig, Pull } from '../../pin-factory/line-driver.js';
import type { OnoffGpio, OnoffModule, OnoffValueCallback } from './module-api.js';
import type { SysfsChip } from './sysfs-chips.js';
import { sysfsFailure } from './sysfs-errors.js';
import { hrtimeTick } from './timestamps.js';

export interface OnoffLineContext {
  readonly onoff: OnoffModule;
  readonly chip: SysfsChip;
  readonly sysfsGpio: string;
  /** Clock for edge stamps and reconfigure ticks (ns); tests may pass their own. */
  readonly now?: () => number;
}

/** sysfs has no bias control: only pull "none" can be honoured. */
export function checkPull(pull: Pull, bcm: number): void {
  if (pull === 'none') return;
  throw new InvalidValueError(
    `pull "${pull}" on GPIO${bcm} is not possible with the onoff backend: sysfs GPIO cannot set pull resistors. ` +
      'Use --pull none with an external resistor, or a backend that can set pulls (--gpio gpiochip or --gpio pigpio).',
    pull,
    'none',
  );
}

const wanted = (edge: EdgeDetect, kind: EdgeEvent['edge']): boolean => edge === 'both' || edge === kind;

export class OnoffLine implements DriverLine {
  private readonly gpio: OnoffGpio;
  private config: LineConfig;
  private released = false;
  private readonly listeners = new Set<(event: EdgeEvent) => void>();
  private readonly now: () => number;
  readonly number: number;

  private readonly onValue: OnoffValueCallback = (err, value) => {
    // Stamp first: everything after this only adds to the (documented) latency.
    const tick = this.now();
    // A failed read after an interrupt carries no level to report; the next edge will.
    if (err || this.released || this.config.direction !== 'input') return;
    const level: Level = value ? 1 : 0;
    const edge = level === 1 ? 'rising' : 'falling';
    if (!wanted(this.config.edge, edge)) return;
    const event: EdgeEvent = { edge, level, tick };
    for (const l of [...this.listeners]) l(event);
  };

  constructor(
    private readonly ctx: OnoffLineContext,
    readonly bcm: number,
    sysfsNumber: number,
    config: LineConfig,
  ) {
    this.number = sysfsNumber;
    this.now = ctx.now ?? hrtimeTick;
    if (config.direction === 'input') checkPull(config.pull, bcm);
    this.gpio = this.sysfs(`exporting GPIO${bcm} (writing ${sysfsNumber} to ${ctx.sysfsGpio}/export)`, `${ctx.sysfsGpio}/export`, () =>
      config.direction === 'input'
        ? new ctx.onoff.Gpio(sysfsNumber, 'in', config.edge, { activeLow: false })
        : // 'high'/'low' set direction and level in one write, so the pin never glitches.
          new ctx.onoff.Gpio(sysfsNumber, config.level ? 'high' : 'low', undefined, { activeLow: false }),
    );
    this.config = config;
  }

  read(): Level {
    this.check();
    return this.sysfs(`reading GPIO${this.bcm}`, this.file('value'), () => this.gpio.readSync()) ? 1 : 0;
  }

  write(level: Level): void {
    this.check();
    if (this.config.direction !== 'output') {
      this.reconfigure({ direction: 'output', level });
      return;
    }
    this.sysfs(`writing ${level} to GPIO${this.bcm}`, this.file('value'), () => this.gpio.writeSync(level));
    this.config = { direction: 'output', level };
  }

  reconfigure(config: LineConfig): number {
    this.check();
    let tick: number;
    if (config.direction === 'input') {
      checkPull(config.pull, this.bcm);
      this.sysfs(`switching GPIO${this.bcm} to input`, this.file('direction'), () => this.gpio.setDirection('in'));
      tick = this.now();
      // The edge file is written after the switch: some kernels reject it (EIO) on outputs.
      this.config = config;
      this.sysfs(`setting edge ${config.edge} on GPIO${this.bcm}`, this.file('edge'), () => this.gpio.setEdge(config.edge));
    } else {
      if (this.config.direction === 'input' && this.config.edge !== 'none') {
        this.sysfs(`clearing edge detection on GPIO${this.bcm}`, this.file('edge'), () => this.gpio.setEdge('none'));
      }
      this.config = config;
      this.sysfs(`switching GPIO${this.bcm} to output ${config.level}`, this.file('direction'), () =>
        this.gpio.setDirection(config.level ? 'high' : 'low'),
      );
      tick = this.now();
    }
    return tick;
  }

  onEdge(listener: (event: EdgeEvent) => void): () => void {
    this.check();
    this.listeners.add(listener);
    // One onoff watcher per line, only while someone listens (it adds the value fd to epoll).
    if (this.listeners.size === 1) this.sysfs(`watching GPIO${this.bcm}`, this.file('value'), () => this.gpio.watch(this.onValue));
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0 && !this.released) this.gpio.unwatch(this.onValue);
    };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.listeners.clear();
    try {
      // Leave a floating input behind, as the other backends do, so nothing stays driven.
      if (this.config.direction === 'output') this.gpio.setDirection('in');
      else if (this.config.edge !== 'none') this.gpio.setEdge('none');
    } catch {
      // Unexporting below still frees the line; a failed tidy-up must not keep it claimed.
    }
    this.sysfs(`unexporting GPIO${this.bcm}`, `${this.ctx.sysfsGpio}/unexport`, () => this.gpio.unexport());
  }

  get isReleased(): boolean {
    return this.released;
  }

  private check(): void {
    if (this.released) throw new ClosedError(`onoff GPIO${this.bcm} (sysfs ${this.number}) has been released`);
  }

  private file(name: string): string {
    return `${this.ctx.sysfsGpio}/gpio${this.number}/${name}`;
  }

  private sysfs<T>(action: string, path: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sysfsFailure(err, { action, path, bcm: this.bcm, number: this.number, chip: this.ctx.chip, sysfsGpio: this.ctx.sysfsGpio });
    }
  }
}
