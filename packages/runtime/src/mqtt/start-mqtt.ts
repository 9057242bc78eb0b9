// MQTT for one service: its metrics, its discovery configs, the link and the heartbeat,
// started together and stopped together.
import type { Logger } from '@gpio-fleet/cli-kit';
import type { Registry } from 'prom-client';
import { discoveryMessages, type DiscoveryEntity } from './discovery.js';
import { MqttLink, type MqttLibrary } from './mqtt-link.js';
import { createMqttMetrics } from './mqtt-metrics.js';
import type { MqttSettings } from './mqtt-settings.js';
import { StateReporter } from './state-reporter.js';

export interface MqttService {
  reporter: StateReporter;
  stop(): Promise<void>;
}

export function startMqtt(o: {
  library: MqttLibrary;
  settings: MqttSettings;
  registry: Registry;
  app: string;
  version: string;
  entities: readonly DiscoveryEntity[];
  logger: Logger;
}): MqttService {
  const { settings } = o;
  const discovery = settings.discovery
    ? discoveryMessages({ app: o.app, node: settings.node, version: o.version, expireAfter: settings.expireAfterSeconds }, settings.topics, o.entities)
    : [];
  const link = new MqttLink({ library: o.library, settings, discovery, logger: o.logger, metrics: createMqttMetrics(o.registry) });
  const reporter = new StateReporter((payload) => link.publishState(payload), settings.heartbeatSeconds);
  o.logger.info('MQTT publishing', {
    url: settings.url.href,
    clientId: settings.clientId,
    stateTopic: settings.topics.state,
    statusTopic: settings.topics.status,
    discoveryConfigs: discovery.length,
  });
  link.start();
  return {
    reporter,
    stop: () => {
      reporter.stop();
      return link.stop();
    },
  };
}
