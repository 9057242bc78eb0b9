// A real MQTT subscriber (the mqtt package, as Home Assistant's side would be) that records
// what the broker delivers, retained flag included.
import { connectAsync, type MqttClient } from 'mqtt';
import { waitFor } from '@gpio-fleet/test-tools';
import { PASSWORD, USER, type Broker } from './broker.js';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  qos: number;
  /** Date.now() on arrival. */
  at: number;
}

export interface Subscriber {
  client: MqttClient;
  messages: Received[];
  /** Messages on `topic` so far (MQTT wildcards are not interpreted here). */
  on(topic: string): Received[];
  /** Waits until `check` over the messages returns a value. */
  until<T>(what: string, check: (messages: Received[]) => T | undefined, timeoutMs?: number): Promise<T>;
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  end(): Promise<void>;
}

export async function subscribe(broker: Broker, topics: string[]): Promise<Subscriber> {
  const client = await connectAsync(broker.urls.mqtt, { username: USER, password: PASSWORD, protocolVersion: 4, reconnectPeriod: 500 });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), retain: packet.retain, qos: packet.qos, at: Date.now() }));
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    messages,
    on: (topic) => messages.filter((m) => m.topic === topic),
    until: (what, check, timeoutMs = 20_000) => waitFor(what, () => check(messages), timeoutMs),
    async publish(topic, payload, retain = false) {
      await client.publishAsync(topic, payload, { qos: 1, retain });
    },
    async end() {
      await client.endAsync(true);
    },
  };
}

/** The retained messages under `topic` right now, as a new subscriber would find them. */
export async function retained(broker: Broker, topic: string, settleMs = 500): Promise<Received[]> {
  const s = await subscribe(broker, [topic]);
  await new Promise((r) => setTimeout(r, settleMs));
  await s.end();
  return s.messages.filter((m) => m.retain);
}
