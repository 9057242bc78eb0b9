// The devices the plugin advertises: `count` interchangeable shares of the one chip, so that
// up to `count` pods on the node may hold it at once (each claims only its own lines). Their
// IDs do not name the chip's number: the kubelet checkpoints which pod holds which ID, and a
// kernel update that renumbers the chip (a Pi 5's gpiochip4 became gpiochip0) must not turn
// those into IDs that no longer exist.
import { HEALTHY, UNHEALTHY, type Device } from '../api/deviceplugin.js';
import type { ChipState } from '../chip/find-chip.js';

/** gpio-fleet.io/gpiochip with count 3 -> gpiochip-0, gpiochip-1, gpiochip-2. */
export function deviceIds(resource: string, count: number): string[] {
  const name = resource.slice(resource.indexOf('/') + 1);
  return Array.from({ length: count }, (_, i) => `${name}-${i}`);
}

/** Every share is healthy while the chip is there, and unhealthy while it is not. */
export function deviceList(ids: readonly string[], chip: ChipState): Device[] {
  const health = chip.kind === 'found' ? HEALTHY : UNHEALTHY;
  return ids.map((ID) => ({ ID, health }));
}
