// The onoff backend: GPIO through the kernel's deprecated sysfs interface (/sys/class/gpio),
// using the npm onoff package (and its epoll addon) loaded only when this backend is chosen.
// It maps BCM numbers to sysfs numbers via the header chip's base, which moved in kernel 6.6.
import { ClaimedLines } from '../claimed-lines.js';
import { closeSync, constants, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackendUnavailableError, ClosedError } from '../../errors.js';
import type { DriverLine, LineConfig, LineDriver } from '../../pin-factory/line-driver.js';
import type { TickSource } from '../../clock/ticks.js';
import { hostPaths, type RealBackendOptions } from '../options.js';
import { loadNativeModule, type NativeModuleContext } from '../native-modules.js';
import { checkPull, OnoffLine } from './line.js';
import { ONOFF_SYSFS_GPIO, type OnoffModule } from './module-api.js';
import { headerChip, sysfsNumber, type SysfsChip } from './sysfs-chips.js';
import { sysfsFailure } from './sysfs-errors.js';
import { hrtimeTick, hrtimeTicks } from './timestamps.js';

class OnoffDriver implements LineDriver {
  readonly name = 'onoff' as const;
  readonly simulated = false;
  readonly ticks: TickSource;
  private readonly lines = new ClaimedLines<OnoffLine>();
  private closed = false;

  constructor(
    private readonly onoff: OnoffModule,
    readonly chip: SysfsChip,
    readonly sysfsGpio: string,
    private readonly now: () => number,
  ) {
    this.ticks = now === hrtimeTick ? hrtimeTicks : { ...hrtimeTicks, now };
  }

  async claim(bcm: number, _consumer: string, config: LineConfig): Promise<DriverLine> {
    if (this.closed) throw new ClosedError('onoff backend is closed');
    // Refuse before exporting anything, so a bad request leaves no trace in sysfs.
    if (config.direction === 'input') checkPull(config.pull, bcm);
    const number = sysfsNumber(this.chip, bcm);
    const line = new OnoffLine({ onoff: this.onoff, chip: this.chip, sysfsGpio: this.sysfsGpio, now: this.now }, bcm, number, config);
    return this.lines.add(line);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lines.releaseAll('onoff');
  }
}

/** Fail early, with the reason, when this process cannot export lines at all. */
export function checkExportWritable(sysfsGpio: string): void {
  const exportFile = join(sysfsGpio, 'export');
  try {
    // Open for writing without writing: unlike access(2) this checks the effective uid and a
    // read-only mount exactly as the export itself will.
    closeSync(openSync(exportFile, constants.O_WRONLY));
  } catch (err) {
    throw sysfsFailure(err, { action: 'checking access to the sysfs export file', path: exportFile, sysfsGpio });
  }
}

export interface StartOnoffOptions {
  sysfsGpio: string;
  /** Edge/tick clock in ns; defaults to process.hrtime. */
  now?: () => number;
}

/**
 * Wrap an already loaded onoff module as a LineDriver, after finding the header chip under
 * `sysfsGpio`. Exported for tests that pass a stand-in for the module.
 */
export function startOnoffDriver(onoff: OnoffModule, options: StartOnoffOptions): LineDriver {
  const chip = headerChip(options.sysfsGpio);
  checkExportWritable(options.sysfsGpio);
  return new OnoffDriver(onoff, chip, options.sysfsGpio, options.now ?? hrtimeTick);
}

export interface OnoffDriverOptions extends RealBackendOptions {
  /** Where and how to look for the npm package; only tests change it. */
  native?: NativeModuleContext;
}

export async function createOnoffDriver(options: OnoffDriverOptions = {}): Promise<LineDriver> {
  const sysfsGpio = hostPaths(options).sysfsGpio;
  // Discovery and checks first: they give the clearer message, and need no package.
  const chip = headerChip(sysfsGpio);
  checkExportWritable(sysfsGpio);
  if (resolve(sysfsGpio) !== ONOFF_SYSFS_GPIO) {
    throw new BackendUnavailableError(
      'onoff',
      `the onoff package always uses ${ONOFF_SYSFS_GPIO}, so paths.sysfsGpio=${sysfsGpio} cannot be honoured ` +
        `(header chip found there: ${chip.label}, base ${chip.base}).`,
    );
  }
  const onoff = loadNativeModule<OnoffModule>('onoff', { backend: 'onoff', installHint: 'npm install onoff', ...options.native });
  return new OnoffDriver(onoff, chip, sysfsGpio, hrtimeTick);
}
