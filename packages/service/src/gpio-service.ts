// What every GPIO service does the same way: the common flags (backend, chip, listener,
// logging), choosing the backend, and announcing which pins it drives in logs and metrics.
import {
  BACKEND_NAMES,
  describePin,
  parseBackendChoice,
  selectBackend,
  type BackendChoice,
  type LineDriver,
  type Pin,
  type Selection,
} from '@gpio-fleet/gpio';
import type { Registry } from 'prom-client';
import { opt } from './config/options.js';
import { LOG_LEVELS, type Logger } from './logging/logger.js';
import { registerBackendInfo } from './metrics/registry.js';

export function commonOptions(defaults: { port: number }) {
  return {
    gpio: opt.custom<BackendChoice>({
      flag: 'gpio',
      env: 'GPIO_BACKEND',
      default: 'auto',
      placeholder: `<${BACKEND_NAMES.join('|')}>`,
      accepted: BACKEND_NAMES.join(' | '),
      parse: parseBackendChoice,
      group: 'GPIO',
      description:
        'GPIO backend. auto uses a real backend on a Raspberry Pi (gpiochip, then pigpio, then onoff) and fails if none starts; on any other machine it uses the simulated mock and says so.',
    }),
    gpioChip: opt.string({
      flag: 'gpio-chip',
      env: 'GPIO_CHIP',
      placeholder: '<chip>',
      group: 'GPIO',
      description: 'gpiochip backend: the chip to use, e.g. gpiochip0 or /dev/gpiochip4 (default: found by its Raspberry Pi label).',
    }),
    port: opt.number({
      flag: 'port',
      env: 'METRICS_PORT',
      default: String(defaults.port),
      integer: true,
      min: 0,
      max: 65535,
      group: 'HTTP',
      description: 'Port for /metrics, /healthz and /readyz (0 picks a free port).',
    }),
    host: opt.string({
      flag: 'host',
      env: 'METRICS_HOST',
      default: '0.0.0.0',
      placeholder: '<address>',
      group: 'HTTP',
      description: 'Address to listen on.',
    }),
    logLevel: opt.oneOf({ flag: 'log-level', env: 'LOG_LEVEL', default: 'info', values: LOG_LEVELS, group: 'Logging', description: 'Least severe log level to print (JSON lines on stderr).' }),
  };
}

export interface StartGpioOptions {
  choice: BackendChoice;
  chip?: string | undefined;
  /** Builds the simulated backend with its circuits, used for mock (and auto off-Pi). */
  mock: () => LineDriver;
  logger: Logger;
  /** Pins the service will claim, with their roles, for the start-up log. */
  pins: Record<string, Pin>;
}

export async function startGpio(options: StartGpioOptions): Promise<Selection> {
  const selection = await selectBackend(options.choice, { mock: options.mock, chip: options.chip });
  const { factory } = selection;
  options.logger.info('GPIO backend selected', {
    backend: factory.name,
    simulated: factory.simulated,
    reason: selection.reason,
  });
  if (factory.simulated) {
    options.logger.warn('running on the simulated mock backend: readings and outputs are not real hardware');
  }
  for (const [role, pin] of Object.entries(options.pins)) {
    options.logger.info('pin', { role, pin: pin.id, wiring: describePin(pin) });
  }
  return selection;
}

/** gpio_backend_info for every pin the service uses. */
export function announceBackend(registry: Registry, selection: Selection, pins: readonly Pin[]): void {
  registerBackendInfo(registry, selection.factory.name, pins.map((p) => p.id));
}
