// The real npm pigpio package on this machine (installed as a devDependency). This is not a
// Raspberry Pi and the pigpio C library is not in Debian, so npm built pigpio's addon empty:
// choosing --gpio pigpio must end in one clear BackendUnavailableError, not a stack trace or
// pigpio's own warning box.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError } from '../../src/errors.js';
import { selectBackend } from '../../src/backends/select.js';
import { createPigpioDriver } from '../../src/backends/pigpio/driver.js';
import { NATIVE_DIR_ENV } from '../../src/backends/native-modules.js';

const realPigpioDir = dirname(createRequire(import.meta.url).resolve('pigpio/package.json'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpio-pigpio-real-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const modelFile = (model: string): string => {
  const p = join(dir, 'model');
  writeFileSync(p, `${model}\0`);
  return p;
};

const noMock = () => {
  throw new Error('the mock must not be used when a backend is named');
};

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the backend to fail');
}

describe('--gpio pigpio with the real package on a machine without the pigpio library', () => {
  it('says the addon was built without the C library and how to fix it, without pigpio printing its box', async () => {
    const warn = vi.spyOn(console, 'warn');
    const err = await failure(
      selectBackend('pigpio', { mock: noMock, paths: { deviceTreeModel: modelFile('Raspberry Pi 4 Model B Rev 1.4') } }),
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toMatch(/^pigpio backend unavailable: the pigpio addon \(.*build\/Release\/pigpio\.node\) was built without the pigpio C library/);
    expect(err.message).toContain('sudo apt install pigpio');
    expect(err.message).toContain('npm rebuild pigpio');
    expect((err.cause as Error).message).toMatch(/did not self-register/);
    expect(warn).not.toHaveBeenCalled();
  });

  it('gives the same clear error with this machine’s own (absent) device-tree model', async () => {
    const err = await failure(createPigpioDriver({}));
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('built without the pigpio C library');
  });

  it('rejects a Pi 5 before loading anything', async () => {
    const err = await failure(createPigpioDriver({ paths: { deviceTreeModel: modelFile('Raspberry Pi 5 Model B Rev 1.0') } }));
    expect(err.message).toContain('does not support the Raspberry Pi 5');
    expect(err.message).toContain('--gpio gpiochip');
  });

  it('loads the package from GPIO_FLEET_NATIVE_DIR, as a standalone executable would', async () => {
    mkdirSync(join(dir, 'native', 'node_modules'), { recursive: true });
    symlinkSync(realPigpioDir, join(dir, 'native', 'node_modules', 'pigpio'));
    const err = await failure(
      createPigpioDriver({
        paths: { deviceTreeModel: modelFile('Raspberry Pi 3 Model B Rev 1.2') },
        native: { env: { [NATIVE_DIR_ENV]: join(dir, 'native') } },
      }),
    );
    expect(err.message).toContain(`the pigpio addon (${join(dir, 'native', 'node_modules', 'pigpio', 'build', 'Release', 'pigpio.node')})`);
  });

  it('explains a missing package: every path tried and what to install', async () => {
    const outside = join(dir, 'app', 'main.js');
    mkdirSync(dirname(outside));
    writeFileSync(outside, '');
    const err = await failure(
      createPigpioDriver({
        paths: { deviceTreeModel: modelFile('Raspberry Pi 4 Model B Rev 1.4') },
        native: { env: {}, execPath: join(dir, 'bin', 'light-sensor'), arch: 'arm64', resolveFrom: outside },
      }),
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('the npm package "pigpio" is not installed');
    expect(err.message).toContain(join(dir, 'bin', 'native-linux-arm64', 'node_modules', 'pigpio'));
    expect(err.message).toContain(join(dir, 'app', 'node_modules', 'pigpio'));
    expect(err.message).toContain('sudo apt install pigpio');
  });
});
