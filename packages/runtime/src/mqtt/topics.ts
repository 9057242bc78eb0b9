// Where each message goes. State and availability live under the service's own prefix, the
// discovery configs under Home Assistant's, with IDs in the character set its discovery
// topics allow ([a-zA-Z0-9_-], see docs/mqtt.md).

export const TOPIC_LEVELS_FORM = 'one or more topic levels joined by "/", without +, #, empty levels or a leading or trailing "/"';

/** A topic prefix as given: levels joined by "/", none empty, no wildcards. */
export function parseTopicLevels(raw: string): string {
  const text = raw.trim();
  if (text === '') throw new Error('empty');
  if (/[+#\0]/.test(text)) throw new Error('wildcards (+, #) and NUL are not allowed in a topic');
  if (text.split('/').some((level) => level === '')) throw new Error('an empty topic level (a leading, trailing or doubled "/")');
  return text;
}

/** `text` in Home Assistant's ID alphabet: every other character becomes "_". */
export function discoveryId(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_');
}

export interface MqttTopics {
  /** <prefix>/<node>/<app>/state: the app's JSON state, QoS 1. */
  state: string;
  /** <prefix>/<node>/<app>/status: online or offline, retained; the last will says offline. */
  status: string;
  /** <discovery prefix>/status: Home Assistant says online there when it (re)starts. */
  homeAssistantStatus: string;
  /** <discovery prefix>/<component>/<node_id>/<object_id>/config. */
  config(component: string, objectId: string): string;
  /** The node in Home Assistant's ID alphabet: the node_id level of the config topics. */
  nodeId: string;
}

export function mqttTopics(settings: { prefix: string; node: string; app: string; discoveryPrefix: string }): MqttTopics {
  const { prefix, node, app, discoveryPrefix } = settings;
  const base = `${prefix}/${node}/${app}`;
  const nodeId = discoveryId(node);
  return {
    state: `${base}/state`,
    status: `${base}/status`,
    homeAssistantStatus: `${discoveryPrefix}/status`,
    config: (component, objectId) => `${discoveryPrefix}/${component}/${nodeId}/${discoveryId(objectId)}/config`,
    nodeId,
  };
}
