// The traffic light's part of the status page: its panel's files and its live state (the
// lamps, the phase, recent phases, and on the mock backend the simulated fault).
import type { StatusPanel } from '@gpio-fleet/runtime';
import { assets } from './assets.generated.js';
import type { SignalStatus } from './signal-status.js';

export function signalPanel(status: SignalStatus, fault: (() => string) | undefined): StatusPanel {
  return { assets, state: () => ({ ...status.snapshot(), mock: fault && { fault: fault() } }) };
}
