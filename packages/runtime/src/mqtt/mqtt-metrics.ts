// The MQTT link's own metrics, registered only when --mqtt-url is set. The names are a
// contract with dashboards and alerts, as the apps' are.
import { Counter, Gauge, type Registry } from '../metrics/prom.js';

export interface MqttMetrics {
  connected(up: boolean): void;
  dropped(n: number): void;
  published(): void;
  queued(n: number): void;
}

export function createMqttMetrics(registry: Registry): MqttMetrics {
  const connected = new Gauge({ name: 'mqtt_connected', help: '1 while connected to the MQTT broker, else 0.', registers: [registry] });
  const dropped = new Counter({
    name: 'mqtt_messages_dropped_total',
    help: 'State messages dropped, oldest first, because the outgoing queue was full while the broker was unreachable.',
    registers: [registry],
  });
  const published = new Counter({ name: 'mqtt_messages_published_total', help: 'Messages the broker acknowledged (QoS 1).', registers: [registry] });
  const queued = new Gauge({ name: 'mqtt_queue_messages', help: 'State messages waiting for the broker (at most --mqtt-queue-size).', registers: [registry] });
  connected.set(0);
  queued.set(0);
  return {
    connected: (up) => connected.set(up ? 1 : 0),
    dropped: (n) => dropped.inc(n),
    published: () => published.inc(),
    queued: (n) => queued.set(n),
  };
}
