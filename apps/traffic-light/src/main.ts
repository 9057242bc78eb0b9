// Wiring only: options -> backend -> lamps and sequence -> metrics, logs and shutdown.
import { LAMPS, LedCircuit, MockDriver, realClock, runSequence, sleep, TrafficLights, type Lamp, type Phase, type Pin } from '@gpio-fleet/gpio';
import {
  announceBackend,
  createLifecycle,
  createLogger,
  Exposition,
  startGpio,
  startServiceServer,
  UsageError,
  type Lifecycle,
  type Logger,
  type ParseResult,
  type Route,
} from '@gpio-fleet/service';
import { createLightMetrics } from './metrics.js';
import type { options } from './options.js';

/** Two lamps on one pin would fight each other: refuse before touching hardware. */
function checkDistinct(pins: Record<Lamp, Pin>): void {
  for (const [i, a] of LAMPS.entries()) {
    for (const b of LAMPS.slice(i + 1)) {
      if (pins[a].bcm === pins[b].bcm) {
        throw new UsageError(
          `--${a} "${pins[a].input}" and --${b} "${pins[b].input}" are the same pin (${pins[a].id}); each lamp needs its own GPIO`,
        );
      }
    }
  }
}

/**
 * Mock only: `PUT /mock/fault` with `write-failure:<lamp>` makes writes to that lamp's pin
 * fail (as a broken GPIO would), `none` heals every pin. For fault drills and tests.
 */
function mockRoutes(driver: MockDriver, pins: Record<Lamp, Pin>): Record<string, Route> {
  return {
    'PUT /mock/fault': (_q, res, body) => {
      const text = body.trim();
      const m = /^write-failure:(red|amber|green)$/.exec(text);
      if (text !== 'none' && !m) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`unknown fault "${text}"; accepted: none | write-failure:<red|amber|green>\n`);
        return;
      }
      for (const lamp of LAMPS) driver.failWrites(pins[lamp].id, m?.[1] === lamp);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${text}\n`);
    },
  };
}

/** Switch every lamp off, logging (not throwing) failures: used on every way out. */
function allOff(lights: TrafficLights, logger: Logger, metrics: { lamps(l: Lamp[]): void; phase(p: undefined): void }): boolean {
  try {
    lights.off();
    metrics.lamps([]);
    metrics.phase(undefined);
    logger.info('all lamps off');
    return true;
  } catch (err) {
    logger.error('could not switch every lamp off', { error: err });
    return false;
  }
}

/** --once: light the first phase for its duration, report it as one JSON line, go dark. */
async function lampCheck(
  lights: TrafficLights,
  first: Phase,
  ctx: { backend: string; pins: Record<Lamp, Pin>; lifecycle: Lifecycle; logger: Logger },
): Promise<number> {
  ctx.lifecycle.onShutdown(() => void allOff(lights, ctx.logger, { lamps: () => undefined, phase: () => undefined }), 'switch lamps off');
  lights.show(first.lamps);
  ctx.logger.info('phase', { phase: first.name, lamps: first.lamps, seconds: first.seconds });
  await sleep(realClock, first.seconds, ctx.lifecycle.signal).catch(() => undefined);
  const lit = lights.lit();
  process.stdout.write(
    `${JSON.stringify({
      backend: ctx.backend,
      phase: first.name,
      lamps: first.lamps,
      seconds: first.seconds,
      pins: Object.fromEntries(LAMPS.map((l) => [l, ctx.pins[l].id])),
      litAtEnd: lit,
    })}\n`,
  );
  await ctx.lifecycle.shutdown('lamp check done', 0);
  return await new Promise<never>(() => undefined);
}

export async function main({ values: o }: ParseResult<typeof options>): Promise<number> {
  const pins: Record<Lamp, Pin> = { red: o.red, amber: o.amber, green: o.green };
  checkDistinct(pins);
  const logger = createLogger({ level: o.logLevel, base: { app: 'traffic-light', ...(process.env.NODE_NAME ? { node: process.env.NODE_NAME } : {}) } });
  // Signals are handled from the first moment: a SIGTERM during start-up still switches off
  // and releases whatever has been claimed.
  const lifecycle = createLifecycle({ logger });
  let mock: MockDriver | undefined;
  const selection = await startGpio({
    choice: o.gpio,
    chip: o.gpioChip,
    logger,
    pins,
    mock: () => {
      mock = new MockDriver(realClock);
      for (const lamp of LAMPS) mock.attach(pins[lamp].id, new LedCircuit(lamp));
      return mock;
    },
  });
  const { factory } = selection;
  lifecycle.onShutdown(() => factory.close(), 'release GPIO');

  // Start dark: every output is claimed driving LOW.
  const lines = {} as Record<Lamp, Awaited<ReturnType<typeof factory.openOutput>>>;
  for (const lamp of LAMPS) lines[lamp] = await factory.openOutput(pins[lamp], `traffic-light:${lamp}`, 0);
  const lights = new TrafficLights(lines);

  if (o.once) return lampCheck(lights, o.phases[0]!, { backend: factory.name, pins, lifecycle, logger });

  const exposition = new Exposition({ nodeName: process.env.NODE_NAME });
  const { registry } = exposition;
  announceBackend(registry, selection, LAMPS.map((l) => pins[l]));
  const metrics = createLightMetrics(registry, o.phases);
  lifecycle.onShutdown(() => void allOff(lights, logger, metrics), 'switch lamps off');
  let ready = false;
  const server = await startServiceServer({
    host: o.host,
    port: o.port,
    metrics: exposition,
    ready: () => ready && !lifecycle.stopping,
    routes: mock ? mockRoutes(mock, pins) : {},
  });
  lifecycle.onShutdown(() => server.close(), 'stop HTTP server');
  logger.info('serving metrics', { url: `${server.url}/metrics`, host: o.host, port: server.port });

  const run = runSequence(lights, realClock, {
    phases: o.phases,
    cycles: o.cycles === 0 ? Infinity : o.cycles,
    onPhase: ({ phase, cycle, lateness }) => {
      ready = true;
      metrics.phase(phase, lateness);
      metrics.lamps(phase.lamps);
      logger.info('phase', { phase: phase.name, lamps: phase.lamps, cycle, seconds: phase.seconds, latenessSeconds: lateness });
    },
    onCycleComplete: (n) => {
      metrics.cycleDone();
      logger.debug('cycle complete', { cycles: n });
    },
  });
  lifecycle.onShutdown(() => run.stop(), 'stop sequence');

  try {
    await Promise.race([run.done, new Promise((resolve) => lifecycle.signal.addEventListener('abort', resolve, { once: true }))]);
  } catch (err) {
    // A lamp write failed: try to leave the junction dark, then exit non-zero so the
    // orchestrator restarts us instead of leaving a half-lit light.
    logger.error('lamp write failed; switching everything off and exiting', { error: err });
    await lifecycle.shutdown('hardware fault', 1);
    return 1;
  }
  if (!lifecycle.stopping) await lifecycle.shutdown(`completed ${o.cycles} cycle(s)`, 0);
  await new Promise<never>(() => undefined);
  return 0;
}
