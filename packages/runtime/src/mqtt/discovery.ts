// Home Assistant MQTT discovery: one retained config message per entity, so a Pi's sensors
// show up in Home Assistant by themselves. Pure: the same inputs give the same messages.
// The keys are Home Assistant's documented discovery keys (docs/mqtt.md).
import { discoveryId, type MqttTopics } from './topics.js';

const PROJECT = 'gpio-fleet';
const SUPPORT_URL = 'https://github.com/gpio-fleet/gpio-fleet';

/** One thing an app shows in Home Assistant, read from the app's JSON state by a template. */
export type DiscoveryEntity = SensorEntity | BinarySensorEntity;

interface EntityCommon {
  /** Unique within the app, [a-z0-9_]: part of the object ID and the unique_id. */
  key: string;
  /** Shown after the device's name in Home Assistant. */
  name: string;
  /** Jinja template over the state JSON, e.g. "{{ value_json.lux }}". */
  valueTemplate: string;
  icon?: string;
}

export interface SensorEntity extends EntityCommon {
  component: 'sensor';
  deviceClass?: string;
  unit?: string;
  stateClass?: 'measurement';
  /** The possible states of a device_class "enum" sensor. */
  options?: readonly string[];
  suggestedDisplayPrecision?: number;
}

export interface BinarySensorEntity extends EntityCommon {
  component: 'binary_sensor';
  deviceClass?: string;
  /** What the template renders for on and off. */
  payloadOn: string;
  payloadOff: string;
}

export interface DiscoverySubject {
  /** The app's name: the device's model. */
  app: string;
  /** The node (NODE_NAME, or the host name): the device's name. */
  node: string;
  version: string;
  /** Seconds without a state message after which Home Assistant shows the entity unavailable. */
  expireAfter: number;
}

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** The retained config message of each entity. */
export function discoveryMessages(subject: DiscoverySubject, topics: MqttTopics, entities: readonly DiscoveryEntity[]): DiscoveryMessage[] {
  const keys = new Set<string>();
  const appId = discoveryId(subject.app);
  const device = {
    identifiers: [`${PROJECT}_${topics.nodeId}_${appId}`],
    name: `${subject.node} ${subject.app}`,
    manufacturer: PROJECT,
    model: subject.app,
    sw_version: subject.version,
  };
  const origin = { name: PROJECT, sw_version: subject.version, support_url: SUPPORT_URL };
  return entities.map((e) => {
    if (!/^[a-z0-9_]+$/.test(e.key)) throw new Error(`entity key "${e.key}" is not [a-z0-9_]+`);
    if (keys.has(e.key)) throw new Error(`entity key "${e.key}" appears twice`);
    keys.add(e.key);
    const objectId = `${appId}_${e.key}`;
    const payload: Record<string, unknown> = {
      name: e.name,
      unique_id: `${PROJECT}_${topics.nodeId}_${objectId}`,
      state_topic: topics.state,
      value_template: e.valueTemplate,
      availability_topic: topics.status,
      payload_available: 'online',
      payload_not_available: 'offline',
      expire_after: subject.expireAfter,
      qos: 1,
      ...(e.icon ? { icon: e.icon } : {}),
      ...(e.deviceClass ? { device_class: e.deviceClass } : {}),
    };
    if (e.component === 'sensor') {
      if (e.unit) payload.unit_of_measurement = e.unit;
      if (e.stateClass) payload.state_class = e.stateClass;
      if (e.options) payload.options = [...e.options];
      if (e.suggestedDisplayPrecision !== undefined) payload.suggested_display_precision = e.suggestedDisplayPrecision;
    } else {
      payload.payload_on = e.payloadOn;
      payload.payload_off = e.payloadOff;
    }
    payload.device = device;
    payload.origin = origin;
    return { topic: topics.config(e.component, objectId), payload };
  });
}

/** expire_after from the heartbeat: three heartbeats, so one or two lost messages do not flap the entity. */
export function expireAfterSeconds(heartbeatSeconds: number): number {
  return Math.ceil(3 * heartbeatSeconds);
}
