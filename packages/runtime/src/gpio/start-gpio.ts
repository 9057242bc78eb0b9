// Choosing the backend and saying so: which backend, why, whether it is simulated, and
// every name of every pin the service will claim.
import { describePin, selectBackend, type BackendChoice, type LineDriver, type Pin, type Selection } from '@gpio-fleet/gpio';
import type { Logger } from '@gpio-fleet/cli-kit';

export interface StartGpioOptions {
  choice: BackendChoice;
  chip?: string | undefined;
  /** Builds the simulated backend with its circuits, used for mock (and auto off-Pi). */
  mock: () => LineDriver;
  logger: Logger;
  /** Pins the service will claim, with their roles, for the start-up log. */
  pins: Readonly<Record<string, Pin>>;
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
