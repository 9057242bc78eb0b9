// The traffic light: three lamps, a phase sequence anchored to the start, metrics of each
// phase and how late it came.
import { LAMPS, realClock, runSequence, TrafficLights, type GpioLine, type Lamp } from '@gpio-fleet/gpio';
import type { ParseResult } from '@gpio-fleet/cli-kit';
import { runService } from '@gpio-fleet/runtime';
import { lampCheck } from './lamp-check.js';
import { switchLampsOff } from './lamps-off.js';
import { createTrafficLightMetrics } from './metrics.js';
import { checkPins, type options } from './options.js';
import { simulateTrafficLight } from './simulation.js';

export function main({ values: o }: ParseResult<typeof options>): Promise<number> {
  const pins = { red: o.red, amber: o.amber, green: o.green };
  checkPins(pins);
  return runService({
    name: 'traffic-light',
    options: o,
    pins,
    simulate: () => simulateTrafficLight(pins),
    async start(service) {
      const { factory, logger, signal } = service;
      // Start dark: every output is claimed driving LOW.
      const lines = {} as Record<Lamp, GpioLine>;
      for (const lamp of LAMPS) lines[lamp] = await factory.openOutput(pins[lamp], `traffic-light:${lamp}`, 0);
      const lights = new TrafficLights(lines);

      if (o.once) {
        service.onStop(() => void switchLampsOff(lights, logger), 'switch lamps off');
        const first = o.phases[0]!;
        logger.info('phase', { phase: first.name, lamps: first.lamps, seconds: first.seconds });
        const check = await lampCheck(lights, first, pins, factory.name, signal);
        process.stdout.write(`${JSON.stringify(check)}\n`);
        await service.stop('lamp check done', 0);
        return;
      }

      const metrics = await service.serve((registry) => createTrafficLightMetrics(registry, o.phases));
      service.onStop(() => void switchLampsOff(lights, logger, metrics), 'switch lamps off');
      const run = runSequence(lights, realClock, {
        phases: o.phases,
        cycles: o.cycles === 0 ? Infinity : o.cycles,
        onPhase: ({ phase, cycle, lateness }) => {
          service.markReady();
          metrics.phase(phase, lateness);
          metrics.lamps(phase.lamps);
          logger.info('phase', { phase: phase.name, lamps: phase.lamps, cycle, seconds: phase.seconds, latenessSeconds: lateness });
        },
        onCycleComplete: (n) => {
          metrics.cycleDone();
          logger.debug('cycle complete', { cycles: n });
        },
      });
      service.onStop(() => run.stop(), 'stop sequence');
      run.done.then(
        // It also resolves when stopping ends the sequence early: nothing more to do then.
        () => void (service.stopping || service.stop(`completed ${o.cycles} cycle(s)`, 0)),
        (err: unknown) => {
          // A lamp write failed: try to leave the junction dark, then exit non-zero so the
          // orchestrator restarts us instead of leaving a half-lit light.
          logger.error('lamp write failed; switching everything off and exiting', { error: err });
          void service.stop('hardware fault', 1);
        },
      );
    },
  });
}
