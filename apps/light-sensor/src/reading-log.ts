// What the sensor says in its log: every reading, or only those that moved by more than
// --log-delta; failed readings always; and skipped readings at most once a minute.
import { createThrottle, type Logger } from '@gpio-fleet/cli-kit';
import type { ChargeReading, LightEstimate } from '@gpio-fleet/gpio';

export interface ReadingLog {
  reading(reading: ChargeReading, estimate: LightEstimate): void;
  skipped(): void;
}

export function createReadingLog(logger: Logger, logDelta: number, now?: () => number): ReadingLog {
  let lastLogged: number | undefined;
  const skips = createThrottle(60, now);
  return {
    reading(r, e) {
      if (r.result !== 'ok') {
        logger.warn('reading failed', { result: r.result, error: r.error, okInWindow: e.okInWindow, windowSize: e.windowSize });
        return;
      }
      const moved = lastLogged === undefined || !Number.isFinite(e.level) || Math.abs(e.level - lastLogged) > logDelta;
      if (logDelta === 0 || moved) {
        lastLogged = e.level;
        logger.info('reading', { chargeSeconds: r.chargeSeconds, lightLevel: e.level, lux: e.lux });
      }
    },
    skipped() {
      const count = skips.hit();
      if (count !== undefined) {
        logger.warn('skipped readings: the previous one was still running (interval shorter than discharge + charge time); repeats at most once a minute', { skipped: count });
      }
    },
  };
}
