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
import { createChangeFilter, LIGHT_ENTITIES, lightState } from './mqtt-state.js';
import { checkTiming, type LightSensorOptions, type options } from './options.js';
import { createReadingLog } from './reading-log.js';
import { simulateLightSensor, type MockWorld } from './simulation.js';
import { singleReading } from './single-reading.js';
import { LightStatus } from './status/light-status.js';
import { lightPanel } from './status/panel.js';
import { VERSION } from './version.js';

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
  let world: (() => MockWorld) | undefined;
  return runService({
    name: 'light-sensor',
    version: VERSION,
    options: o,
    pins: { ldr: o.pin },
    entities: LIGHT_ENTITIES,
    simulate: (logger) => {
      const simulation = simulateLightSensor({ pin: o.pin, light: new SettableLight(o.mockLux), fault: o.mockFault }, logger);
      world = simulation.world;
      return simulation;
    },
    async start(service) {
      const { factory, logger, signal } = service;
      const line = await factory.openOutput(o.pin, 'light-sensor', 0);

      if (o.once) {
        const r = await measureCharge(line, factory.ticks, realClock, sampler, signal);
        process.stdout.write(`${JSON.stringify(singleReading(o.pin.id, factory.name, r, estimateLight([r], sampler)))}\n`);
        await service.stop('single reading done', r.result === 'ok' ? 0 : 1);
        return;
      }

      const status = new LightStatus(() => realClock.now(), o.interval);
      const panel = lightPanel(status, world);
      const metrics = await service.serve(createSensorMetrics, panel);
      const log = createReadingLog(logger, o.logDelta);
      const mqtt = service.mqtt;
      const worthSending = createChangeFilter(o.mqttMinDelta);
      const sampling = runLightSampler(
        line,
        factory.ticks,
        realClock,
        sampler,
        {
          onReading: (r, e) => {
            metrics.record(r, e, Date.now() / 1000);
            status.record(r, e);
            service.publish(() => panel.update());
            if (mqtt) {
              const state = lightState(r, e, new Date());
              mqtt.state(state, worthSending(state));
            }
            // Ready after one finished attempt, whatever its result: a broken sensor is reported by the
            // metrics, and must not stall a rollout (a backend failure goes to onFailure and never gets here).
            service.markReady();
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
