// The light sensor: one pin, RC timing, a reading every interval, metrics of each.
import {
  estimateLight,
  measureCharge,
  realClock,
  runLightSampler,
  SettableLight,
  type SamplerOptions,
} from '@gpio-fleet/gpio';
import type { ParseResult } from '@gpio-fleet/cli-kit';
import { runService } from '@gpio-fleet/runtime';
import { createSensorMetrics } from './metrics.js';
import { checkTiming, type LightSensorOptions, type options } from './options.js';
import { createReadingLog } from './reading-log.js';
import { simulateLightSensor } from './simulation.js';
import { singleReading } from './single-reading.js';

function samplerOptions(o: LightSensorOptions): SamplerOptions {
  return {
    discharge: o.discharge,
    timeout: o.timeout,
    pull: o.pull,
    chargeTimeLimit: o.chargeTimeLimit,
    interval: o.interval,
    queueLen: o.queueLen,
    calibration: {
      r10: o.r10,
      gamma: o.gamma,
      capacitance: o.capacitance,
      vcc: o.vcc,
      vth: o.vth,
      pullDownOhms: o.pull === 'down' ? o.pullDownOhms : undefined,
      darkOhms: 1_000_000,
    },
  };
}

export function main({ values: o }: ParseResult<typeof options>): Promise<number> {
  checkTiming(o);
  const sampler = samplerOptions(o);
  return runService({
    name: 'light-sensor',
    options: o,
    pins: { ldr: o.pin },
    simulate: (logger) => simulateLightSensor({ pin: o.pin, light: new SettableLight(o.mockLux), fault: o.mockFault }, logger),
    async start(service) {
      const { factory, logger, signal } = service;
      const line = await factory.openOutput(o.pin, 'light-sensor', 0);

      if (o.once) {
        const r = await measureCharge(line, factory.ticks, realClock, sampler, signal);
        process.stdout.write(`${JSON.stringify(singleReading(o.pin.id, factory.name, r, estimateLight([r], sampler)))}\n`);
        await service.stop('single reading done', r.result === 'ok' ? 0 : 1);
        return;
      }

      const metrics = await service.serve(createSensorMetrics);
      const log = createReadingLog(logger, o.logDelta);
      const sampling = runLightSampler(
        line,
        factory.ticks,
        realClock,
        sampler,
        {
          onReading: (r, e) => {
            metrics.record(r, e, Date.now() / 1000);
            if (r.result === 'ok') service.markReady();
            log.reading(r, e);
          },
          onSkipped: () => {
            metrics.skipped();
            log.skipped();
          },
          onFailure: (err) => {
            // The backend itself failed (not a timeout): stop so the orchestrator restarts us.
            logger.error('GPIO failure while reading', { error: err });
            void service.stop('GPIO failure', 1);
          },
        },
        signal,
      );
      service.onStop(() => sampling.stop(), 'stop readings');
    },
  });
}
