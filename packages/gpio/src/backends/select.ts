// Backend choice: explicit names load exactly that backend; "auto" picks a real backend on
// a Raspberry Pi and the mock elsewhere, and never falls back to the mock on a Pi.
import { readFileSync } from 'node:fs';
import { BackendUnavailableError, InvalidValueError } from '../errors.js';
import { PinFactory } from '../pin-factory/pin-factory.js';
import { BACKEND_NAMES, type BackendChoice, type BackendName, type LineDriver } from '../pin-factory/line-driver.js';
import { hostPaths, type RealBackendOptions } from './options.js';

export interface Selection {
  factory: PinFactory;
  /** Why this backend was chosen, for the start-up log. */
  reason: string;
}

export interface SelectOptions extends RealBackendOptions {
  /** Builds the mock driver; apps attach their simulated circuits here. */
  mock: () => LineDriver | Promise<LineDriver>;
}

export function parseBackendChoice(value: string): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendChoice;
  const accepted = BACKEND_NAMES.join(' | ');
  throw new InvalidValueError(`unknown GPIO backend "${value}"; accepted: ${accepted}`, value, accepted);
}

/** The Raspberry Pi model from the device tree, or undefined on other machines. */
export function raspberryPiModel(options?: RealBackendOptions): string | undefined {
  try {
    const model = readFileSync(hostPaths(options).deviceTreeModel, 'utf8').replace(/\0/g, '').trim();
    return /raspberry pi/i.test(model) ? model : undefined;
  } catch {
    return undefined;
  }
}

async function loadReal(name: Exclude<BackendName, 'mock'>, options: RealBackendOptions): Promise<LineDriver> {
  switch (name) {
    case 'pigpio':
      return (await import('./pigpio/driver.js')).createPigpioDriver(options);
    case 'onoff':
      return (await import('./onoff/driver.js')).createOnoffDriver(options);
    case 'gpiochip':
      return (await import('./gpiochip/driver.js')).createGpiochipDriver(options);
  }
}

/** Order in which "auto" tries real backends on a Pi: the character device works everywhere. */
export const AUTO_ORDER: readonly Exclude<BackendName, 'mock'>[] = ['gpiochip', 'pigpio', 'onoff'];

export async function selectBackend(choice: BackendChoice, options: SelectOptions): Promise<Selection> {
  if (choice === 'mock') return { factory: new PinFactory(await options.mock()), reason: 'requested with --gpio mock' };
  if (choice !== 'auto') return { factory: new PinFactory(await loadReal(choice, options)), reason: `requested with --gpio ${choice}` };

  const model = raspberryPiModel(options);
  if (model === undefined) {
    return {
      factory: new PinFactory(await options.mock()),
      reason: `auto: not a Raspberry Pi (no "Raspberry Pi" in ${hostPaths(options).deviceTreeModel}), using the simulated mock backend`,
    };
  }
  const failures: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      return { factory: new PinFactory(await loadReal(name, options)), reason: `auto: ${model}, ${name} started` };
    } catch (err) {
      failures.push(`  - ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new BackendUnavailableError(
    'auto',
    `this is a ${model} but no real GPIO backend could start (the mock is never used on a Pi):\n${failures.join('\n')}`,
  );
}
