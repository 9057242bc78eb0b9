// LineConfig -> GPIO v2 uAPI line flags. Pure; the values are enum gpio_v2_line_flag from
// <linux/gpio.h> (a unit test checks them against the header the addon was built with).
import type { LineConfig } from '../../pin-factory/line-driver.js';

export const GPIO_V2_LINE_FLAG = {
  USED: 1 << 0,
  ACTIVE_LOW: 1 << 1,
  INPUT: 1 << 2,
  OUTPUT: 1 << 3,
  EDGE_RISING: 1 << 4,
  EDGE_FALLING: 1 << 5,
  OPEN_DRAIN: 1 << 6,
  OPEN_SOURCE: 1 << 7,
  BIAS_PULL_UP: 1 << 8,
  BIAS_PULL_DOWN: 1 << 9,
  BIAS_DISABLED: 1 << 10,
  EVENT_CLOCK_REALTIME: 1 << 11,
} as const;

export interface LineRequestConfig {
  flags: number;
  /** Initial/driven value for outputs; -1 for inputs. */
  outputValue: number;
}

/**
 * Flags for a line request or SET_CONFIG. Inputs always state their bias ("none" becomes
 * BIAS_DISABLED, so a pull left by a previous user is switched off); edge flags are only
 * valid on inputs. Event timestamps stay on the default clock, CLOCK_MONOTONIC.
 */
export function lineRequestConfig(config: LineConfig): LineRequestConfig {
  const F = GPIO_V2_LINE_FLAG;
  if (config.direction === 'output') return { flags: F.OUTPUT, outputValue: config.level };
  let flags: number = F.INPUT;
  flags |= config.pull === 'up' ? F.BIAS_PULL_UP : config.pull === 'down' ? F.BIAS_PULL_DOWN : F.BIAS_DISABLED;
  if (config.edge === 'rising' || config.edge === 'both') flags |= F.EDGE_RISING;
  if (config.edge === 'falling' || config.edge === 'both') flags |= F.EDGE_FALLING;
  return { flags, outputValue: -1 };
}
