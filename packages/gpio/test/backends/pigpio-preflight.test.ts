// The checks that run before the pigpio C library is touched, on real files in temp dirs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/errors.js';
import {
  checkModel,
  checkPigpiodLock,
  checkRoot,
  initializeFailure,
  processPidProbe,
  readModel,
  type PidProbe,
} from '../../src/backends/pigpio/preflight.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpio-pigpio-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const catchError = (fn: () => void): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

describe('readModel / checkModel', () => {
  it('reads the device-tree model without its trailing NUL', () => {
    const p = join(dir, 'model');
    writeFileSync(p, 'Raspberry Pi 4 Model B Rev 1.4\0');
    expect(readModel(p)).toBe('Raspberry Pi 4 Model B Rev 1.4');
    expect(readModel(join(dir, 'absent'))).toBeUndefined();
  });

  it.each(['Raspberry Pi 5 Model B Rev 1.0', 'Raspberry Pi Compute Module 5 Rev 1.0', 'Raspberry Pi 500 Rev 1.0'])(
    'rejects %s and points at gpiochip',
    (model) => {
      const err = catchError(() => checkModel(model, '/proc/device-tree/model'));
      expect(err).toBeInstanceOf(BackendUnavailableError);
      expect(err.message).toContain('does not support the Raspberry Pi 5');
      expect(err.message).toContain('--gpio gpiochip');
    },
  );

  it.each(['Raspberry Pi 4 Model B Rev 1.4', 'Raspberry Pi 3 Model B Plus Rev 1.3', 'Raspberry Pi Zero 2 W Rev 1.0', 'Raspberry Pi 400 Rev 1.0'])(
    'accepts %s',
    (model) => {
      expect(() => checkModel(model, '/proc/device-tree/model')).not.toThrow();
    },
  );

  it('rejects a board that is not a Raspberry Pi, naming the model file', () => {
    const err = catchError(() => checkModel('Pine64 RockPro64 v2.1', '/proc/device-tree/model'));
    expect(err.message).toContain('only runs on a Raspberry Pi, and /proc/device-tree/model says "Pine64 RockPro64 v2.1"');
  });

  it('lets pigpio decide when the model cannot be read (e.g. /sys/firmware masked in a container)', () => {
    expect(() => checkModel(undefined, '/proc/device-tree/model')).not.toThrow();
  });
});

describe('checkRoot', () => {
  it('accepts root and rejects other users with the reason and the alternative', () => {
    expect(() => checkRoot(0)).not.toThrow();
    const err = catchError(() => checkRoot(1000));
    expect(err.message).toContain('pigpio needs root');
    expect(err.message).toContain('uid 1000');
    expect(err.message).toContain('/dev/mem');
    expect(err.message).toContain('--gpio gpiochip');
  });
});

describe('checkPigpiodLock', () => {
  const probe = (alive: number[], names: Record<number, string> = {}): PidProbe => ({
    isAlive: (pid) => alive.includes(pid),
    nameOf: (pid) => names[pid],
    self: 4242,
  });

  it('passes without a lock file', () => {
    expect(() => checkPigpiodLock(join(dir, 'pigpio.pid'), probe([]))).not.toThrow();
  });

  it('names a running pigpiod and how to stop it', () => {
    const pidFile = join(dir, 'pigpio.pid');
    writeFileSync(pidFile, '731\n');
    const err = catchError(() => checkPigpiodLock(pidFile, probe([731], { 731: 'pigpiod' })));
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain(`pigpiod (pid 731) holds ${pidFile}`);
    expect(err.message).toContain('sudo systemctl stop pigpiod');
  });

  it('names another pigpio program holding the lock', () => {
    const pidFile = join(dir, 'pigpio.pid');
    writeFileSync(pidFile, '900');
    const err = catchError(() => checkPigpiodLock(pidFile, probe([900], { 900: 'python3' })));
    expect(err.message).toContain('python3 (pid 900)');
    expect(err.message).toContain('Stop that process');
  });

  it('ignores a stale lock, garbage, and our own pid', () => {
    const pidFile = join(dir, 'pigpio.pid');
    writeFileSync(pidFile, '731');
    expect(() => checkPigpiodLock(pidFile, probe([]))).not.toThrow();
    writeFileSync(pidFile, 'not a pid');
    expect(() => checkPigpiodLock(pidFile, probe([731]))).not.toThrow();
    writeFileSync(pidFile, '4242');
    expect(() => checkPigpiodLock(pidFile, probe([4242]))).not.toThrow();
  });

  it('uses real process liveness by default', () => {
    // The vitest runner's parent is alive and is not us; a pid beyond pid_max is not.
    const pidFile = join(dir, 'pigpio.pid');
    writeFileSync(pidFile, String(process.ppid));
    expect(() => checkPigpiodLock(pidFile)).toThrow(new RegExp(`pid ${process.ppid}\\) holds`));
    expect(processPidProbe.isAlive(2 ** 22 + 1)).toBe(false);
  });
});

describe('initializeFailure', () => {
  it('keeps the library error as the cause and lists what to check', () => {
    const cause = new Error('pigpio error -1 in gpioInitialise');
    const err = initializeFailure(cause);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.cause).toBe(cause);
    expect(err.message).toContain('pigpio error -1 in gpioInitialise');
    expect(err.message).toContain('root');
    expect(err.message).toContain('systemctl stop pigpiod');
    expect(err.message).toContain('--gpio gpiochip');
  });
});
