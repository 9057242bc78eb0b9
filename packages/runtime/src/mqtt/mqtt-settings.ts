// The MQTT settings as the link needs them, from the options and the environment, checked
// together before any pin is touched: each problem is a UsageError (exit 2) naming the option.
import { hostname } from 'node:os';
import { UsageError } from '@gpio-fleet/cli-kit';
import { expireAfterSeconds } from './discovery.js';
import type { MqttOptionValues } from './mqtt-options.js';
import { mqttTopics, type MqttTopics } from './topics.js';

export interface MqttSettings {
  url: URL;
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  /** PEM CA certificates to trust for mqtts:// and wss://. */
  ca: string | undefined;
  topics: MqttTopics;
  node: string;
  heartbeatSeconds: number;
  expireAfterSeconds: number;
  queueSize: number;
  discovery: boolean;
  discoveryCleanup: boolean;
}

/** The node's name for topics and Home Assistant: NODE_NAME (the charts set it), else the host name. */
export function mqttNodeName(env: NodeJS.ProcessEnv): string {
  return env.NODE_NAME || hostname();
}

/** undefined without --mqtt-url: then MQTT is off and nothing else here matters. */
export function resolveMqttSettings(o: MqttOptionValues, env: NodeJS.ProcessEnv, app: string): MqttSettings | undefined {
  const url = o.mqttUrl;
  if (!url) return undefined;
  const node = mqttNodeName(env);
  if (/[/+#]/.test(node)) {
    throw new UsageError(`node name "${node}" (NODE_NAME or the host name) cannot be an MQTT topic level; accepted: a name without "/", "+" or "#"`);
  }
  const envPassword = env.MQTT_PASSWORD || undefined;
  if (o.mqttPasswordFile !== undefined && envPassword !== undefined) {
    throw new UsageError('both --mqtt-password-file (or MQTT_PASSWORD_FILE) and MQTT_PASSWORD are set; accepted: one of them');
  }
  const password = o.mqttPasswordFile ?? envPassword;
  if (password !== undefined && !o.mqttUsername) {
    throw new UsageError('an MQTT password is set but --mqtt-username (MQTT_USERNAME) is not; accepted: a password only together with a username');
  }
  const tls = url.protocol === 'mqtts:' || url.protocol === 'wss:';
  if (o.mqttCaFile !== undefined && !tls) {
    throw new UsageError(`--mqtt-ca-file (MQTT_CA_FILE) is set but --mqtt-url "${url.href}" does not use TLS; accepted: a CA file only with mqtts:// or wss://`);
  }
  const clientId = o.mqttClientId ?? `${node}-${app}`;
  if (clientId.trim() === '' || clientId.length > 256) {
    throw new UsageError(`--mqtt-client-id "${clientId}": accepted: 1 to 256 characters`);
  }
  return {
    url,
    clientId,
    username: o.mqttUsername || undefined,
    password,
    ca: o.mqttCaFile,
    topics: mqttTopics({ prefix: o.mqttTopicPrefix, node, app, discoveryPrefix: o.mqttDiscoveryPrefix }),
    node,
    heartbeatSeconds: o.mqttHeartbeat,
    expireAfterSeconds: expireAfterSeconds(o.mqttHeartbeat),
    queueSize: o.mqttQueueSize,
    discovery: o.mqttDiscovery,
    discoveryCleanup: o.mqttDiscoveryCleanup,
  };
}
