// Wiring only: options -> backend -> reading loop -> metrics, logs and shutdown.
import {
  estimateLight,
  measureCharge,
  MockDriver,
  RC_FAULTS,
  RcPhotoresistorCircuit,
  realClock,
  runLightSampler,
  SettableLight,
  type ChargeReading,
  type LightEstimate,
  type RcCalibration,
  type RcFault,
} from '@gpio-fleet/gpio';
import {
  announceBackend,
  createLifecycle,
  createLogger,
  Exposition,
  startGpio,
  startServiceServer,
  type OptionValues,
  type ParseResult,
  type Route,
} from '@gpio-fleet/service';
import { createSensorMetrics } from './metrics.js';
import { parseMockLight } from './mock-light.js';
import type { options } from './options.js';

type Options = OptionValues<typeof options>;

const json = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** The simulated circuit: the REFERENCE wiring, lit by the --mock-lux schedule. */
function buildMock(o: Options, light: SettableLight) {
  const driver = new MockDriver(realClock);
  const circuit = driver.attach(
    o.pin.id,
    new RcPhotoresistorCircuit({ light, origin: realClock.now(), fault: o.mockFault, seed: Date.now() & 0xffff }),
  );
  light.onChange(() => circuit.lightChanged(realClock.now()));
  return { driver, circuit };
}

function mockRoutes(light: SettableLight, circuit: RcPhotoresistorCircuit): Record<string, Route> {
  const reply = (res: Parameters<Route>[1], status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
  };
  const state = () => ({ lux: circuit.luxAt(realClock.now()), light: light.description, fault: circuit.fault });
  return {
    'GET /mock/lux': (_q, res) => reply(res, 200, state()),
    'PUT /mock/lux': (_q, res, body) => {
      try {
        const text = body.trim();
        // A bare number holds that lux; any other --mock-lux form replaces the schedule.
        if (/^\d+(\.\d+)?(e-?\d+)?$/i.test(text)) light.set(Number(text));
        else light.follow(parseMockLight(text));
        reply(res, 200, state());
      } catch (err) {
        reply(res, 400, { error: err instanceof Error ? err.message : String(err) });
      }
    },
    'PUT /mock/fault': (_q, res, body) => {
      const fault = body.trim() as RcFault;
      if (!RC_FAULTS.includes(fault)) {
        return reply(res, 400, { error: `unknown fault "${body.trim()}"; accepted: ${RC_FAULTS.join(' | ')}` });
      }
      circuit.setFault(fault, realClock.now());
      reply(res, 200, state());
    },
  };
}

export async function main({ values: o }: ParseResult<typeof options>): Promise<number> {
  const logger = createLogger({ level: o.logLevel, base: { app: 'light-sensor', ...(process.env.NODE_NAME ? { node: process.env.NODE_NAME } : {}) } });
  // Signals are handled from the first moment: a SIGTERM during start-up still releases
  // whatever has been claimed and exits cleanly.
  const lifecycle = createLifecycle({ logger });
  const calibration: RcCalibration = {
    r10: o.r10,
    gamma: o.gamma,
    capacitance: o.capacitance,
    vcc: o.vcc,
    vth: o.vth,
    pullDownOhms: o.pull === 'down' ? o.pullDownOhms : undefined,
    darkOhms: 1_000_000,
  };
  const light = new SettableLight(o.mockLux);
  let mock: ReturnType<typeof buildMock> | undefined;
  const selection = await startGpio({
    choice: o.gpio,
    chip: o.gpioChip,
    logger,
    pins: { ldr: o.pin },
    mock: () => (mock = buildMock(o, light)).driver,
  });
  const { factory } = selection;
  lifecycle.onShutdown(() => factory.close(), 'release GPIO');
  if (mock) logger.info('mock light', { light: light.description, fault: o.mockFault });
  const line = await factory.openOutput(o.pin, 'light-sensor', 0);
  const sampler = { discharge: o.discharge, timeout: o.timeout, pull: o.pull, chargeTimeLimit: o.chargeTimeLimit, calibration, interval: o.interval, queueLen: o.queueLen };

  if (o.once) {
    const r = await measureCharge(line, factory.ticks, realClock, sampler, lifecycle.signal);
    const e = estimateLight([r], sampler);
    process.stdout.write(
      `${JSON.stringify({
        pin: o.pin.id,
        backend: factory.name,
        chargeSeconds: json(r.chargeSeconds),
        level: r.result === 'ok' ? json(e.level) : null,
        lux: r.result === 'ok' ? json(e.lux) : null,
        timedOut: r.result === 'timeout',
        ...(r.error ? { error: r.error } : {}),
      })}\n`,
    );
    await lifecycle.shutdown('single reading done', r.result === 'ok' ? 0 : 1);
    return await new Promise<never>(() => undefined);
  }

  const exposition = new Exposition({ nodeName: process.env.NODE_NAME });
  const { registry } = exposition;
  announceBackend(registry, selection, [o.pin]);
  const metrics = createSensorMetrics(registry);
  let ready = false;
  const server = await startServiceServer({
    host: o.host,
    port: o.port,
    metrics: exposition,
    ready: () => ready && !lifecycle.stopping,
    routes: mock ? mockRoutes(light, mock.circuit) : {},
  });
  lifecycle.onShutdown(() => server.close(), 'stop HTTP server');
  logger.info('serving metrics', { url: `${server.url}/metrics`, host: o.host, port: server.port });

  let lastLogged: number | undefined;
  const sampling = runLightSampler(
    line,
    factory.ticks,
    realClock,
    sampler,
    {
      onReading: (r: ChargeReading, e: LightEstimate) => {
        metrics.record(r, e, Date.now() / 1000);
        if (r.result === 'ok') ready = true;
        if (r.result !== 'ok') {
          logger.warn('reading failed', { result: r.result, error: r.error, okInWindow: e.okInWindow, windowSize: e.windowSize });
          return;
        }
        const moved = lastLogged === undefined || !Number.isFinite(e.level) || Math.abs(e.level - lastLogged) > o.logDelta;
        if (o.logDelta === 0 || moved) {
          lastLogged = e.level;
          logger.info('reading', { chargeSeconds: r.chargeSeconds, lightLevel: e.level, lux: e.lux });
        }
      },
      onSkipped: () => logger.warn('skipping a reading: the previous one is still running (interval shorter than discharge + charge)'),
      onFailure: (err) => {
        // The backend itself failed (not a timeout): exit so the orchestrator restarts us.
        logger.error('GPIO failure while reading', { error: err });
        void lifecycle.shutdown('GPIO failure', 1);
      },
    },
    lifecycle.signal,
  );
  lifecycle.onShutdown(() => sampling.stop(), 'stop readings');
  // The lifecycle exits the process once cleanup has run; keep main pending until then.
  return await new Promise<never>(() => undefined);
}
