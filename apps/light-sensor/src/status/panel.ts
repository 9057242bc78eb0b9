// The light sensor's part of the status page: its panel's files and its live state (the
// readings' history, counts and fault, and on the mock backend the simulated world).
import type { StatusPanel } from '@gpio-fleet/runtime';
import { assets } from './assets.generated.js';
import type { LightStatus, LightUpdate } from './light-status.js';
import type { MockWorld } from '../simulation.js';

export function lightPanel(status: LightStatus, world: (() => MockWorld) | undefined): StatusPanel & { update(): (LightUpdate & { mock: MockWorld | undefined }) | undefined } {
  return {
    assets,
    state: () => ({ ...status.snapshot(), mock: world?.() }),
    update: () => {
      const u = status.update();
      return u && { ...u, mock: world?.() };
    },
  };
}
