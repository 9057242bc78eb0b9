// The traffic light: three lamps, a phase sequence anchored to the start, metrics of each
// phase and how late it came.
import { LAMPS, realClock, runSequence, TrafficLights, type GpioLine, type Lamp } from '@gpio-fleet/gpio';
import type { ParseResult } from '@gpio-fleet/cli-kit';
import { runService } from '@gpio-fleet/runtime';
import { lampCheck } from './lamp-check.js';
import { switchLampsOff } from './lamps-off.js';
import { createTrafficLightMetrics } from './metrics.js';
import { signalEntities, signalState } from './mqtt-state.js';
import { checkPins, type options } from './options.js';
import { simulateTrafficLight } from './simulation.js';
import { signalPanel } from './status/panel.js';
import { SignalStatus } from './status/signal-status.js';
import { VERSION } from './version.js';

export function main({ values: o }: ParseResult<typeof options>): Promise<number> {
  const pins = { red: o.red, amber: o.amber, green: o.green };
  checkPins(pins);
  let mockFault: (() => string) | undefined;
  return runService({
    name: 'traffic-light',
    version: VERSION,
    options: o,
    pins,
    entities: signalEntities(o.phases),
    simulate: () => {
      const simulation = simulateTrafficLight(pins);
      mockFault = simulation.fault;
      return simulation;
    },
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

      // The page shows the lamps as the lines drive them: read back from the GPIO, never
      // recomputed from the schedule.
      const status = new SignalStatus(() => realClock.now());
      const panel = signalPanel(status, mockFault);
      const metrics = await service.serve((registry) => createTrafficLightMetrics(registry, o.phases), panel);
      service.onStop(() => {
        switchLampsOff(lights, logger, metrics);
        status.lampsChanged(lights.lit());
        service.publish(() => panel.state());
      }, 'switch lamps off');
      const run = runSequence(lights, realClock, {
        phases: o.phases,
        cycles: o.cycles === 0 ? Infinity : o.cycles,
        onPhase: (change) => {
          const { phase, cycle, lateness } = change;
          service.markReady();
          const lit = lights.lit();
          metrics.phase(phase, lateness);
          metrics.lamps(lit);
          status.phaseShown(change, lit);
          service.publish(() => panel.state());
          service.mqtt?.state(signalState(phase, lit, cycle, new Date()));
          logger.info('phase', { phase: phase.name, lamps: phase.lamps, cycle, seconds: phase.seconds, latenessSeconds: lateness });
        },
        onCycleComplete: (n) => {
          metrics.cycleDone();
          status.cycleDone(n);
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
