// Every way out of the app goes dark first. A failure to switch a lamp off is logged, not
// thrown, so the other lamps and the pins are still released.
import type { Logger } from '@gpio-fleet/cli-kit';
import type { TrafficLights } from '@gpio-fleet/gpio';
import type { TrafficLightMetrics } from './metrics.js';

export function switchLampsOff(lights: TrafficLights, logger: Logger, metrics?: TrafficLightMetrics): boolean {
  try {
    lights.off();
    metrics?.lamps([]);
    metrics?.phase(undefined);
    logger.info('all lamps off');
    return true;
  } catch (err) {
    logger.error('could not switch every lamp off', { error: err });
    return false;
  }
}
