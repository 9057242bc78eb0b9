// The gpiochip backend: lines requested through the kernel's GPIO character device (v2 uAPI)
// by our own N-API addon. Direction changes reconfigure the held request in place; edge
// events carry the kernel's CLOCK_MONOTONIC ns timestamps and arrive through libuv, so
// nothing blocks the JS thread or spins.
import { BackendUnavailableError, HardwareError } from '../../errors.js';
import { NS_MODULUS, type TickSource } from '../../clock/ticks.js';
import type { DriverLine, EdgeEvent, Level, LineConfig, LineDriver } from '../../pin-factory/line-driver.js';
import type { RealBackendOptions } from '../options.js';
import { errnoCode, loadGpiochipAddon, type GpiochipAddon, type LineHandle } from './addon.js';
import { openHeaderChip, type OpenedChip } from './chip-open.js';
import { lineRequestConfig } from './line-flags.js';
import { lineBusyMessage } from './messages.js';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class GpiochipLine implements DriverLine {
  private readonly listeners = new Set<(event: EdgeEvent) => void>();
  private released = false;

  constructor(
    private readonly addon: GpiochipAddon,
    private readonly handle: LineHandle,
    private readonly where: string,
  ) {}

  private fail(what: string, err: unknown): never {
    throw new HardwareError(`gpiochip: ${what} on ${this.where} failed: ${message(err)}`, { cause: err });
  }

  read(): Level {
    try {
      return this.addon.lineGet(this.handle) === 1 ? 1 : 0;
    } catch (err) {
      this.fail('reading', err);
    }
  }

  write(level: Level): void {
    try {
      this.addon.lineSet(this.handle, level);
    } catch (err) {
      this.fail('writing', err);
    }
  }

  reconfigure(config: LineConfig): number {
    const { flags, outputValue } = lineRequestConfig(config);
    try {
      return this.addon.lineSetConfig(this.handle, flags, outputValue);
    } catch (err) {
      this.fail(`switching to ${config.direction}`, err);
    }
  }

  private readonly dispatch = (timestampNs: number, rising: boolean): void => {
    const event: EdgeEvent = rising
      ? { edge: 'rising', level: 1, tick: timestampNs }
      : { edge: 'falling', level: 0, tick: timestampNs };
    for (const l of [...this.listeners]) l(event);
  };

  onEdge(listener: (event: EdgeEvent) => void): () => void {
    if (this.released) throw new HardwareError(`gpiochip: ${this.where} is released`);
    this.listeners.add(listener);
    // One libuv poll per line fd, running only while someone listens (it keeps the process alive).
    if (this.listeners.size === 1) this.addon.lineWatch(this.handle, this.dispatch);
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0 && !this.released) this.addon.lineUnwatch(this.handle);
    };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.listeners.clear();
    this.addon.lineRelease(this.handle);
  }
}

class GpiochipDriver implements LineDriver {
  readonly name = 'gpiochip' as const;
  readonly simulated = false;
  readonly ticks: TickSource;
  private closed = false;

  constructor(
    private readonly addon: GpiochipAddon,
    readonly chip: OpenedChip,
  ) {
    // Same counter as the event timestamps and lineSetConfig's return value.
    this.ticks = { unitSeconds: 1e-9, modulus: NS_MODULUS, now: () => addon.monotonicNs() };
  }

  async claim(bcm: number, consumer: string, config: LineConfig): Promise<DriverLine> {
    const { path, fd, info } = this.chip;
    if (!Number.isInteger(bcm) || bcm < 0 || bcm >= info.lines) {
      throw new BackendUnavailableError('gpiochip', `GPIO${bcm} is not a line of ${path} "${info.label}" (${info.lines} lines)`);
    }
    const { flags, outputValue } = lineRequestConfig(config);
    try {
      const handle = this.addon.requestLine(fd, bcm, consumer, flags, outputValue);
      return new GpiochipLine(this.addon, handle, `line ${bcm} of ${path}`);
    } catch (err) {
      if (errnoCode(err) === 'EBUSY') {
        let holder = '';
        try {
          holder = this.addon.lineInfo(fd, bcm).consumer;
        } catch {
          // The holder may have let go meanwhile; the message still names the line.
        }
        throw new BackendUnavailableError(
          'gpiochip',
          lineBusyMessage({ path, label: info.label, offset: bcm, consumer: holder, requester: consumer }),
          { cause: err },
        );
      }
      throw new HardwareError(`gpiochip: requesting line ${bcm} of ${path} as ${config.direction} failed: ${message(err)}`, {
        cause: err,
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.addon.closeFd(this.chip.fd);
  }
}

/** Load the addon, open the header chip (or options.chip) and return the driver. */
export async function createGpiochipDriver(options: RealBackendOptions = {}): Promise<LineDriver> {
  const { addon } = loadGpiochipAddon();
  const chip = openHeaderChip(addon, options);
  return new GpiochipDriver(addon, chip);
}
