// pigpio alerts report every level change with the sampling tick; the line's edge setting
// decides which of them become EdgeEvents.
import type { EdgeDetect, EdgeEvent } from '../../pin-factory/line-driver.js';
import { PIGPIO_ALERT_TIMEOUT } from './module-api.js';

/** pigpio ticks are uint32 µs; the native layer may hand them over signed, so normalise. */
export const toUint32Tick = (tick: number): number => tick >>> 0;

/** The EdgeEvent for an alert, or undefined when `edge` does not ask for it. */
export function alertToEdge(level: number, tick: number, edge: EdgeDetect): EdgeEvent | undefined {
  if (level === PIGPIO_ALERT_TIMEOUT || (level !== 0 && level !== 1)) return undefined;
  const kind = level === 1 ? 'rising' : 'falling';
  if (edge !== 'both' && edge !== kind) return undefined;
  return { edge: kind, level, tick: toUint32Tick(tick) };
}
