// Checks made before touching the pigpio C library, so the common "cannot work here" cases
// end in one clear sentence instead of a failed gpioInitialise and a process exit.
import { readFileSync } from 'node:fs';
import { BackendUnavailableError } from '../../errors.js';

/** Where the pigpio C library (and pigpiod) keep their lock file. */
export const PIGPIO_PID_FILE = '/var/run/pigpio.pid';

/** The device-tree model with its trailing NUL removed, or undefined when unreadable. */
export function readModel(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\0/g, '').trim();
  } catch {
    return undefined;
  }
}

const PI5_FAMILY = /raspberry pi (5\b|500\b|compute module 5\b)/i;

/**
 * pigpio drives the BCM283x/BCM2711 GPIO block through /dev/mem; the Pi 5's GPIO sits behind
 * the RP1 chip, which pigpio does not know. An unreadable model (e.g. /sys/firmware masked
 * in a container) is not treated as an error: pigpio then decides for itself.
 */
export function checkModel(model: string | undefined, modelPath: string): void {
  if (model === undefined) return;
  if (PI5_FAMILY.test(model)) {
    throw new BackendUnavailableError(
      'pigpio',
      `this is a ${model}; pigpio does not support the Raspberry Pi 5 family (its GPIO is on the RP1 chip). ` +
        'Use --gpio gpiochip (GPIO_BACKEND=gpiochip) instead.',
    );
  }
  if (!/raspberry pi/i.test(model)) {
    throw new BackendUnavailableError(
      'pigpio',
      `pigpio only runs on a Raspberry Pi, and ${modelPath} says "${model}". Use --gpio mock on other machines.`,
    );
  }
}

/** pigpio maps /dev/mem, which only root may do. */
export function checkRoot(euid: number | undefined): void {
  if (euid === undefined || euid === 0) return;
  throw new BackendUnavailableError(
    'pigpio',
    `pigpio needs root (it maps /dev/mem and uses DMA); this process runs as uid ${euid}. ` +
      'Run as root (in Kubernetes: runAsUser 0 and privileged, since /dev/mem cannot be handed over by a device plugin), ' +
      'or use --gpio gpiochip, which works unprivileged with access to /dev/gpiochipN.',
  );
}

export interface PidProbe {
  /** True if a process with this pid exists (signal 0 succeeds or is refused with EPERM). */
  isAlive(pid: number): boolean;
  /** The process name, for the message; undefined if unknown. */
  nameOf(pid: number): string | undefined;
  /** Our own pid: a lock held by this very process is not a conflict. */
  self: number;
}

export const processPidProbe: PidProbe = {
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  nameOf(pid) {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return undefined;
    }
  },
  self: process.pid,
};

/**
 * The pigpio C library refuses to start while another process (normally the pigpiod daemon)
 * holds its lock file; it only says "Can't lock /var/run/pigpio.pid". Say who holds it.
 */
export function checkPigpiodLock(pidFile: string, probe: PidProbe = processPidProbe): void {
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return; // no lock file: nobody holds pigpio
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === probe.self || !probe.isAlive(pid)) return; // stale lock
  const name = probe.nameOf(pid);
  const who = name ? `${name} (pid ${pid})` : `pid ${pid}`;
  const stop = name === 'pigpiod' ? 'Stop the daemon: sudo systemctl stop pigpiod && sudo systemctl disable pigpiod. ' : 'Stop that process. ';
  throw new BackendUnavailableError(
    'pigpio',
    `${who} holds ${pidFile}, and the pigpio library runs in one process only. ${stop}` +
      'Alternatively use --gpio gpiochip, which can share the chip with other programs.',
  );
}

/** Turn a failure of initialize() into the causes a user can act on. */
export function initializeFailure(err: unknown): BackendUnavailableError {
  const detail = err instanceof Error ? err.message : String(err);
  return new BackendUnavailableError(
    'pigpio',
    `the pigpio C library did not initialise (${detail}); its own reason is printed on stderr just above. ` +
      'Usual causes: not running as root or no access to /dev/mem (a container needs privileged mode); ' +
      `pigpiod or another pigpio program is running (${PIGPIO_PID_FILE} is locked: sudo systemctl stop pigpiod); ` +
      'or the board is not a Raspberry Pi up to the Pi 4/400/CM4 (on a Pi 5 use --gpio gpiochip).',
    { cause: err },
  );
}
