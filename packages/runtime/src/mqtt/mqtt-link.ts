// The connection to the MQTT broker, and everything that keeps it harmless to the GPIO work:
// it never throws into the app, it reconnects with backoff, and what it holds while the broker
// is away is bounded (oldest state dropped and counted).
//
// Each attempt is a fresh mqtt.js client with its own reconnection off: mqtt.js retries at a
// fixed period and keeps per-connection state across attempts; a new client per attempt
// gives real backoff and leaves nothing behind from a dead connection (docs/mqtt.md).
import { createThrottle, type Logger } from '@gpio-fleet/cli-kit';
import type { IClientOptions, MqttClient, connect as mqttConnect } from 'mqtt';
import { exponentialBackoff } from './backoff.js';
import type { DiscoveryMessage } from './discovery.js';
import type { MqttMetrics } from './mqtt-metrics.js';
import type { MqttSettings } from './mqtt-settings.js';
import { Outbox } from './outbox.js';

interface Message {
  topic: string;
  payload: string;
  retain: boolean;
}

interface InFlight {
  message: Message;
  /** State messages go again after a lost connection; availability and discovery are rebuilt. */
  state: boolean;
}

/** QoS 1 messages sent but not yet acknowledged; more wait in the outbox. */
const MAX_IN_FLIGHT = 10;
const KEEPALIVE_SECONDS = 30;
const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_PORTS = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 } as const;
/** How long a clean stop may spend on the broker (queued state, offline, disconnect) before GPIO is released. */
export const MQTT_STOP_BUDGET_MS = 1500;

export interface MqttLibrary {
  connect: typeof mqttConnect;
}

/**
 * The MQTT library, loaded only when MQTT is configured, so that without --mqtt-url it costs
 * nothing. Loading it takes a few hundred ms of busy event loop on a Pi: do it before the GPIO
 * work starts, never in the middle of a reading or a phase.
 */
export function loadMqttLibrary(): Promise<MqttLibrary> {
  return import('mqtt');
}

export interface MqttLinkOptions {
  library: MqttLibrary;
  settings: MqttSettings;
  /** The retained discovery configs (none with --mqtt-discovery false). */
  discovery: readonly DiscoveryMessage[];
  logger: Logger;
  metrics: MqttMetrics;
}

export class MqttLink {
  private readonly library: MqttLibrary;
  private readonly settings: MqttSettings;
  private readonly logger: Logger;
  private readonly metrics: MqttMetrics;
  private readonly discovery: readonly Message[];
  private readonly states: Outbox<Message>;
  /** Availability and discovery, sent before any state; rebuilt on every connection. */
  private control: Message[] = [];
  /** Sent after the queued state when stopping: the removals, then offline. */
  private final: Message[] = [];
  private inFlight: InFlight[] = [];
  private client: MqttClient | undefined;
  private connected = false;
  private stopping = false;
  private retry: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly backoff = exponentialBackoff({ initialMs: 1000, maxMs: 30_000 });
  private readonly unreachable = createThrottle(60);
  private readonly dropping = createThrottle(60);

  constructor(options: MqttLinkOptions) {
    this.library = options.library;
    this.settings = options.settings;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.states = new Outbox(options.settings.queueSize);
    this.discovery = options.discovery.map((m) => ({ topic: m.topic, payload: JSON.stringify(m.payload), retain: true }));
  }

  /** Connects in the background; failures are logged and retried, never thrown. */
  start(): void {
    this.attempt();
  }

  /** Queue one state message (the app's JSON); the oldest goes when the queue is full. */
  publishState(payload: string): void {
    if (this.stopping) return;
    const dropped = this.states.push({ topic: this.settings.topics.state, payload, retain: false });
    if (dropped > 0) {
      this.metrics.dropped(dropped);
      const times = this.dropping.hit();
      if (times !== undefined) {
        this.logger.warn('MQTT queue full; dropping the oldest state messages', { queueSize: this.settings.queueSize, dropped: times });
      }
    }
    this.pump();
  }

  /**
   * Stop: when connected, send what is queued, the discovery removals if asked, and offline,
   * then disconnect cleanly (so the broker does not send the last will). Bounded by
   * MQTT_STOP_BUDGET_MS: a dead or slow broker never holds up the rest of the shutdown.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.retry);
    const client = this.client;
    if (!client || !this.connected) {
      this.drop(client);
      return;
    }
    const status = this.settings.topics.status;
    if (this.settings.discoveryCleanup) this.final.push(...this.discovery.map((m) => ({ topic: m.topic, payload: '', retain: true })));
    this.final.push({ topic: status, payload: 'offline', retain: true });
    const deadline = Date.now() + MQTT_STOP_BUDGET_MS;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.pump();
    const flushed = await within(idle, deadline - Date.now() - 250);
    const disconnected = await within(new Promise<void>((resolve) => client.end(false, {}, () => resolve())), Math.max(deadline - Date.now(), 100));
    if (!flushed || !disconnected) {
      this.logger.warn('MQTT broker too slow on stop; disconnecting without waiting', { budgetMs: MQTT_STOP_BUDGET_MS });
    }
    this.drop(client);
  }

  private attempt(): void {
    if (this.stopping) return;
    let client: MqttClient;
    try {
      client = this.library.connect(this.clientOptions());
    } catch (err) {
      this.onError(undefined, err);
      this.scheduleRetry();
      return;
    }
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('close', () => this.onClose(client));
    // Always listening: an 'error' without a listener would throw out of the event loop.
    client.on('error', (err) => this.onError(client, err));
    client.on('message', (topic, payload) => this.onMessage(client, topic, payload));
  }

  private clientOptions(): IClientOptions {
    const s = this.settings;
    // The parts of the URL, not the URL: mqtt.js would parse a string with the legacy
    // url.parse(), which Node 24 warns about on stderr, outside the JSON log.
    const protocol = s.url.protocol.slice(0, -1) as keyof typeof DEFAULT_PORTS;
    const websocket = protocol === 'ws' || protocol === 'wss';
    // A socket takes an IPv6 address bare; a WebSocket URL needs it in brackets.
    const host = websocket ? s.url.hostname : s.url.hostname.replace(/^\[(.*)\]$/, '$1');
    return {
      protocol,
      host,
      hostname: host,
      port: Number(s.url.port) || DEFAULT_PORTS[protocol],
      ...(websocket ? { path: s.url.pathname || '/' } : {}),
      clientId: s.clientId,
      ...(s.username !== undefined ? { username: s.username } : {}),
      ...(s.password !== undefined ? { password: s.password } : {}),
      ...(s.ca !== undefined ? { ca: s.ca } : {}),
      protocolVersion: 4,
      clean: true,
      keepalive: KEEPALIVE_SECONDS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt-packet would otherwise pre-build a Buffer for each of the 65536 message IDs
      // (several MiB of heap) to save a 2-byte allocation per packet.
      writeCache: false,
      will: { topic: s.topics.status, payload: Buffer.from('offline'), qos: 1, retain: true },
    };
  }

  private onConnect(client: MqttClient): void {
    if (client !== this.client) return;
    this.connected = true;
    this.metrics.connected(true);
    this.backoff.reset();
    this.logger.info('MQTT connected', { url: this.settings.url.href, clientId: this.settings.clientId, stateTopic: this.settings.topics.state });
    if (this.discovery.length > 0) {
      client.subscribe(this.settings.topics.homeAssistantStatus, { qos: 1 }, (err) => {
        if (err && client === this.client) this.logger.warn('MQTT subscribe failed', { topic: this.settings.topics.homeAssistantStatus, error: err });
      });
    }
    // Configs before availability, availability before state: Home Assistant subscribes to an
    // entity's topics when its config arrives, and a retained online is there for it to read.
    this.control = [...this.discovery, { topic: this.settings.topics.status, payload: 'online', retain: true }];
    this.pump();
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.metrics.connected(false);
    const unacknowledged = this.inFlight.filter((f) => f.state).map((f) => f.message);
    this.inFlight = [];
    this.control = [];
    const dropped = this.states.requeue(unacknowledged);
    if (dropped > 0) this.metrics.dropped(dropped);
    this.metrics.queued(this.states.size);
    this.drop(client);
    this.wakeIdle();
    if (this.stopping) return;
    if (wasConnected) this.logger.warn('MQTT connection lost; reconnecting', { url: this.settings.url.href, queued: this.states.size });
    this.scheduleRetry();
  }

  private onError(client: MqttClient | undefined, err: unknown): void {
    if (client !== undefined && client !== this.client) return;
    if (this.stopping) return;
    const times = this.unreachable.hit();
    if (times !== undefined) {
      this.logger.warn('MQTT broker unreachable or refused the connection; retrying with backoff', {
        url: this.settings.url.href,
        error: err instanceof Error ? err.message : String(err),
        times,
      });
    }
  }

  private onMessage(client: MqttClient, topic: string, payload: Buffer): void {
    if (client !== this.client || !this.connected) return;
    if (topic === this.settings.topics.homeAssistantStatus && payload.toString() === 'online') {
      // Home Assistant (re)started: it may have lost the configs it had.
      this.logger.info('Home Assistant is online; sending discovery again', { configs: this.discovery.length });
      this.control.push(...this.discovery);
      this.pump();
    }
  }

  private scheduleRetry(): void {
    const waitMs = this.backoff.next();
    this.logger.debug('MQTT reconnecting', { inMs: waitMs });
    this.retry = setTimeout(() => this.attempt(), waitMs);
    this.retry.unref();
  }

  /** Hands messages to the client while connected, at most MAX_IN_FLIGHT unacknowledged. */
  private pump(): void {
    const client = this.client;
    while (client && this.connected && this.inFlight.length < MAX_IN_FLIGHT) {
      let state = false;
      let message = this.control.shift();
      if (!message) {
        message = this.states.shift();
        state = message !== undefined;
      }
      message ??= this.final.shift();
      if (!message) break;
      this.send(client, { message, state });
    }
    this.metrics.queued(this.states.size);
    if (this.inFlight.length === 0 && this.control.length === 0 && this.states.size === 0 && this.final.length === 0) this.wakeIdle();
  }

  private send(client: MqttClient, entry: InFlight): void {
    this.inFlight.push(entry);
    const { topic, payload, retain } = entry.message;
    client.publish(topic, payload, { qos: 1, retain }, (err) => {
      // A dead connection's late answer: its messages were requeued when it closed.
      const i = this.inFlight.indexOf(entry);
      if (client !== this.client || i === -1) return;
      this.inFlight.splice(i, 1);
      if (err) this.logger.warn('MQTT publish failed', { topic, error: err });
      else this.metrics.published();
      this.pump();
    });
  }

  private wakeIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Forget a client for good, closing its connection without a word to the broker. */
  private drop(client: MqttClient | undefined): void {
    if (client === this.client) this.client = undefined;
    this.connected = false;
    client?.end(true);
  }
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(ms, 0))));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
