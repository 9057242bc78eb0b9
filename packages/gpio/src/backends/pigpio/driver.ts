// The pigpio backend: BCM GPIO through the pigpio C library (/dev/mem + DMA sampling), with
// edges timestamped by pigpio's own µs tick. The npm package is loaded only when this backend
// is chosen, after checks that turn the usual failures into one actionable message.
import { ClaimedLines } from '../claimed-lines.js';
import { BackendUnavailableError, ClosedError, HardwareError } from '../../errors.js';
import type { TickSource } from '../../clock/ticks.js';
import type { DriverLine, LineConfig, LineDriver } from '../../pin-factory/line-driver.js';
import { hostPaths, type RealBackendOptions } from '../options.js';
import { locateNativeModule, type NativeModuleContext } from '../native-modules.js';
import { probePigpioAddon } from './addon.js';
import { PigpioLine } from './line.js';
import type { PigpioModule } from './module-api.js';
import { checkModel, checkPigpiodLock, checkRoot, initializeFailure, PIGPIO_PID_FILE, readModel } from './preflight.js';
import { rearmSignalListeners, type SignalEmitter } from './signals.js';
import { toUint32Tick } from './alerts.js';

/** pigpio addresses GPIO 0-53; alerts (our edges) only exist for 0-31. */
const MAX_GPIO = 53;
const MAX_ALERT_GPIO = 31;

/** The C library is process-global: one driver per loaded module at a time. */
const running = new WeakSet<PigpioModule>();

export interface StartPigpioOptions {
  /** Whose signal listeners to re-arm after initialise (default: process). */
  signals?: SignalEmitter;
}

class PigpioDriver implements LineDriver {
  readonly name = 'pigpio' as const;
  readonly simulated = false;
  readonly ticks: TickSource;
  private readonly lines = new ClaimedLines<PigpioLine>();
  private closed = false;

  constructor(private readonly pigpio: PigpioModule) {
    this.ticks = { unitSeconds: 1e-6, modulus: 2 ** 32, now: () => toUint32Tick(pigpio.getTick()) };
  }

  async claim(bcm: number, _consumer: string, config: LineConfig): Promise<DriverLine> {
    if (this.closed) throw new ClosedError('pigpio backend is closed');
    if (!Number.isInteger(bcm) || bcm < 0 || bcm > MAX_GPIO) {
      throw new HardwareError(`pigpio: GPIO${bcm} does not exist (pigpio drives GPIO0-${MAX_GPIO})`);
    }
    if (config.direction === 'input' && config.edge !== 'none' && bcm > MAX_ALERT_GPIO) {
      throw new HardwareError(`pigpio: edge detection needs GPIO0-${MAX_ALERT_GPIO}; GPIO${bcm} has no alerts`);
    }
    const line = new PigpioLine(this.pigpio, bcm, config);
    return this.lines.add(line);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.lines.releaseAll('pigpio');
    } finally {
      // The library is shut down even when a line could not be released.
      try {
        this.pigpio.terminate();
      } finally {
        running.delete(this.pigpio);
      }
    }
  }
}

/**
 * Initialise an already loaded pigpio module and wrap it as a LineDriver. Exported for tests
 * that pass a stand-in for the module (the real one needs a Pi's /dev/mem).
 */
export function startPigpioDriver(pigpio: PigpioModule, options: StartPigpioOptions = {}): LineDriver {
  if (running.has(pigpio)) {
    throw new BackendUnavailableError('pigpio', 'pigpio is already started in this process; close the other backend first');
  }
  try {
    // No remote control: pigpio otherwise opens a socket on port 8888 and /dev/pigpio pipes.
    pigpio.configureInterfaces(pigpio.DISABLE_FIFO_IF | pigpio.DISABLE_SOCK_IF);
    pigpio.initialize();
  } catch (err) {
    throw initializeFailure(err);
  }
  running.add(pigpio);
  // initialise replaced every signal handler; give Node's listeners theirs back.
  rearmSignalListeners(options.signals);
  return new PigpioDriver(pigpio);
}

export interface PigpioDriverOptions extends RealBackendOptions {
  /** Lock file the pigpio library uses; only tests change it. */
  pigpioPidFile?: string;
  /** Where and how to look for the npm package; only tests change it. */
  native?: NativeModuleContext;
  /** Effective uid; only tests change it. */
  euid?: number;
}

export async function createPigpioDriver(options: PigpioDriverOptions = {}): Promise<LineDriver> {
  const modelPath = hostPaths(options).deviceTreeModel;
  checkModel(readModel(modelPath), modelPath);
  const pkg = locateNativeModule('pigpio', {
    backend: 'pigpio',
    installHint: 'npm install pigpio (after installing the pigpio C library on the Pi: sudo apt install pigpio)',
    ...options.native,
  });
  probePigpioAddon(pkg);
  checkRoot(options.euid ?? process.geteuid?.());
  checkPigpiodLock(options.pigpioPidFile ?? PIGPIO_PID_FILE);
  const pigpio = pkg.require(pkg.packageDir) as PigpioModule;
  return startPigpioDriver(pigpio);
}
