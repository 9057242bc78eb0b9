// What every GPIO service does the same way, so an app's main holds only its own domain:
// a logger that names the app and the node, signal handling from the first moment, the
// backend and its start-up log, /metrics with gpio_backend_info, /healthz and /readyz, the
// status page at /, the mock's routes, MQTT with Home Assistant discovery when asked for, V8
// without its optimising compilers (an idle process has no use for them), and one exit code
// when everything has stopped.
import { createLifecycle, createLogger, exitCodeFor, resolveLogFormat, type Cleanup, type Logger } from '@gpio-fleet/cli-kit';
import { describePin, type LineDriver, type Pin, type PinFactory } from '@gpio-fleet/gpio';
import type { Registry } from 'prom-client';
import { startGpio } from '../gpio/start-gpio.js';
import { jsonRoute, type JsonHandler } from '../http/json-route.js';
import { startServiceServer, type Route } from '../http/server.js';
import { registerBackendInfo } from '../metrics/backend-info.js';
import { Exposition } from '../metrics/exposition.js';
import type { DiscoveryEntity } from '../mqtt/discovery.js';
import { loadMqttLibrary } from '../mqtt/mqtt-link.js';
import { resolveMqttSettings } from '../mqtt/mqtt-settings.js';
import { startMqtt, type MqttService } from '../mqtt/start-mqtt.js';
import type { MqttState } from '../mqtt/state-reporter.js';
import type { ServiceOptionValues } from '../options/service-options.js';
import type { StatusPanel } from '../status/panel.js';
import { StatusFeed } from '../status/status-feed.js';
import { statusPageRoutes } from '../status/status-page.js';
import { withoutOptimisingCompilers } from './idle-compilers.js';

/** The simulated hardware an app builds for the mock backend. */
export interface Simulation {
  driver: LineDriver;
  /** Controls of the simulated world by "METHOD /path"; they exist only on the mock backend. */
  routes?: Record<string, JsonHandler>;
}

export interface ServiceDefinition {
  /** The app's name, on every log line. */
  name: string;
  /** The app's version, on the status page. */
  version: string;
  options: ServiceOptionValues;
  /** Every pin the app claims, by role: logged with all its names, and in gpio_backend_info. */
  pins: Readonly<Record<string, Pin>>;
  /** Builds the simulated circuits; called only when the mock backend is chosen. */
  simulate(logger: Logger): Simulation;
  /**
   * The app: claim its lines, serve, start its loop. The service runs until a signal or
   * until the app calls `service.stop()`; an error thrown here stops it with that error.
   */
  start(service: Service): Promise<void>;
  /** What the app shows in Home Assistant, read from the state it gives `service.mqtt`. */
  entities?: readonly DiscoveryEntity[];
  /** Environment to read NODE_NAME from (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

export interface Service {
  readonly logger: Logger;
  readonly factory: PinFactory;
  /** Aborted when the service starts stopping: pass it to loops and waits. */
  readonly signal: AbortSignal;
  readonly stopping: boolean;
  /** Cleanup to run when stopping, last registered first. */
  onStop(hook: Cleanup, name: string): void;
  /** Stop: run every cleanup step, then end with `code` (1 if a step failed). */
  stop(reason: string, code: number): Promise<number>;
  /**
   * Start the HTTP server with the app's metrics, registered by `register`, and the status
   * page at / with the app's `panel`.
   */
  serve<M>(register: (registry: Registry) => M, panel?: StatusPanel): Promise<M>;
  /** Send `update()` to every open status page; while none is open it is not called. */
  publish(update: () => unknown): void;
  /** /readyz answers 200 from now on (until the service stops). */
  markReady(): void;
  /** The app's state for MQTT, once `serve()` has run; undefined without --mqtt-url. */
  readonly mqtt: MqttState | undefined;
}

/** Runs the service; resolves with the exit code once it has stopped and released its pins. */
export async function runService(definition: ServiceDefinition): Promise<number> {
  // Before anything gets hot: an idle service has no use for optimised code (idle-compilers.ts).
  withoutOptimisingCompilers();
  const { options, name } = definition;
  const started = performance.now();
  const nodeName = (definition.env ?? process.env).NODE_NAME || undefined;
  // Settings that are wrong together exit 2 before any pin is claimed.
  const mqttSettings = resolveMqttSettings(options, definition.env ?? process.env, name);
  const logger = createLogger({
    level: options.logLevel,
    ...resolveLogFormat(options.logFormat, process.stderr, definition.env ?? process.env),
    base: { app: name, ...(nodeName ? { node: nodeName } : {}) },
  });
  // Signals are handled from here on: a SIGTERM during start-up still releases whatever has
  // been claimed and stops cleanly.
  const lifecycle = createLifecycle({ logger });
  try {
    const mqttLibrary = mqttSettings ? await loadMqttLibrary() : undefined;
    let simulation: Simulation | undefined;
    const selection = await startGpio({
      choice: options.gpio,
      chip: options.gpioChip,
      logger,
      pins: definition.pins,
      mock: () => (simulation = definition.simulate(logger)).driver,
    });
    const { factory } = selection;
    lifecycle.onShutdown(() => factory.close(), 'release GPIO');
    let ready = false;
    const feed = new StatusFeed();
    let mqtt: MqttService | undefined;
    const service: Service = {
      logger,
      factory,
      signal: lifecycle.signal,
      get stopping() {
        return lifecycle.stopping;
      },
      onStop: (hook, step) => lifecycle.onShutdown(hook, step),
      stop: (reason, code) => lifecycle.shutdown(reason, code),
      markReady: () => {
        ready = true;
      },
      publish: (update) => feed.publish(update),
      get mqtt() {
        return mqtt?.reporter;
      },
      async serve(register, panel) {
        const exposition = new Exposition({ nodeName });
        registerBackendInfo(exposition.registry, factory.name, Object.values(definition.pins).map((p) => p.id));
        const metrics = register(exposition.registry);
        const routes: Record<string, Route> = {};
        if (panel) {
          const info = {
            app: name,
            version: definition.version,
            node: nodeName,
            backend: factory.name,
            simulated: factory.simulated,
            pins: Object.entries(definition.pins).map(([role, pin]) => ({ role, pin: pin.id, names: describePin(pin) })),
          };
          Object.assign(routes, statusPageRoutes({ info, panel, feed, uptime: () => (performance.now() - started) / 1000 }));
        }
        for (const [key, handler] of Object.entries(simulation?.routes ?? {})) routes[key] = jsonRoute(handler);
        const server = await startServiceServer({
          host: options.host,
          port: options.port,
          metrics: exposition,
          ready: () => ready && !lifecycle.stopping,
          routes,
        });
        if (lifecycle.stopping) {
          // Stopped while the listener was opening: its cleanup step would come too late.
          await server.close();
          throw new Error('stopped while starting the HTTP server');
        }
        lifecycle.onShutdown(() => {
          feed.close();
          return server.close();
        }, 'stop HTTP server');
        logger.info('serving metrics', { url: `${server.url}/metrics`, host: options.host, port: server.port });
        if (panel) logger.info('status page', { url: `${server.url}/` });
        if (mqttSettings && mqttLibrary) {
          const link = startMqtt({ library: mqttLibrary, settings: mqttSettings, registry: exposition.registry, app: name, version: definition.version, entities: definition.entities ?? [], logger });
          mqtt = link;
          // Before the server and GPIO go: offline is sent while the app is still whole.
          lifecycle.onShutdown(() => link.stop(), 'disconnect MQTT');
        }
        return metrics;
      },
    };
    await definition.start(service);
  } catch (err) {
    // Stopped by a signal while starting: whatever failed after that is part of stopping.
    if (lifecycle.stopping) return lifecycle.stopped;
    await lifecycle.shutdown('start-up failed', exitCodeFor(err));
    throw err;
  }
  return lifecycle.stopped;
}
