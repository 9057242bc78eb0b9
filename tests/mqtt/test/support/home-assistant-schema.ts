// Home Assistant's MQTT discovery schema for the two components the apps use, encoded from
// its documentation (the MQTT integration's discovery page, and the MQTT Sensor and MQTT
// Binary sensor pages; docs/mqtt.md summarises what the apps rely on). Strict: a key the
// documentation does not list for the component is a problem, as a typo would be.

type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
const isTemplate: Check = (v) => (typeof v === 'string' && /\{\{.*\}\}/.test(v) ? undefined : 'must be a template ({{ ... }})');
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v) ? undefined : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
const integer =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min ? undefined : `must be an integer >= ${min}`;
const stringList: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '') ? undefined : 'must be a non-empty list of strings');
/** A topic to publish or subscribe to: no wildcards. */
const topic: Check = (v) => (typeof v === 'string' && v !== '' && !/[+#]/.test(v) ? undefined : 'must be a topic without wildcards');

/** Device classes of the Sensor integration. */
export const SENSOR_DEVICE_CLASSES = [
  'apparent_power', 'aqi', 'area', 'atmospheric_pressure', 'battery', 'blood_glucose_concentration', 'carbon_dioxide',
  'carbon_monoxide', 'conductivity', 'current', 'data_rate', 'data_size', 'date', 'distance', 'duration', 'energy',
  'energy_distance', 'energy_storage', 'enum', 'frequency', 'gas', 'humidity', 'illuminance', 'irradiance', 'moisture',
  'monetary', 'nitrogen_dioxide', 'nitrogen_monoxide', 'nitrous_oxide', 'ozone', 'ph', 'pm1', 'pm10', 'pm25', 'power',
  'power_factor', 'precipitation', 'precipitation_intensity', 'pressure', 'reactive_energy', 'reactive_power',
  'signal_strength', 'sound_pressure', 'speed', 'sulphur_dioxide', 'temperature', 'timestamp', 'volatile_organic_compounds',
  'volatile_organic_compounds_parts', 'voltage', 'volume', 'volume_flow_rate', 'volume_storage', 'water', 'weight',
  'wind_direction', 'wind_speed',
] as const;

/** Device classes of the Binary sensor integration. */
export const BINARY_SENSOR_DEVICE_CLASSES = [
  'battery', 'battery_charging', 'carbon_monoxide', 'cold', 'connectivity', 'door', 'garage_door', 'gas', 'heat', 'light',
  'lock', 'moisture', 'motion', 'moving', 'occupancy', 'opening', 'plug', 'power', 'presence', 'problem', 'running',
  'safety', 'smoke', 'sound', 'tamper', 'update', 'vibration', 'window',
] as const;

/** The units a sensor device class accepts, where the documentation fixes them. */
const UNITS: Record<string, readonly string[]> = {
  illuminance: ['lx'],
  humidity: ['%'],
  battery: ['%'],
  moisture: ['%'],
  temperature: ['°C', '°F', 'K'],
};

const DEVICE: Record<string, Check> = {
  configuration_url: isString,
  connections: (v) => (Array.isArray(v) && v.every((c) => Array.isArray(c) && c.length === 2) ? undefined : 'must be a list of [type, value] pairs'),
  hw_version: isString,
  identifiers: (v) => (typeof v === 'string' ? isString(v) : stringList(v)),
  manufacturer: isString,
  model: isString,
  model_id: isString,
  name: isString,
  serial_number: isString,
  suggested_area: isString,
  sw_version: isString,
  via_device: isString,
};

const ORIGIN: Record<string, Check> = { name: isString, sw_version: isString, support_url: isString };

function objectProblems(where: string, value: unknown, keys: Record<string, Check>): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: must be an object`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const check = keys[k];
    if (!check) out.push(`${where}.${k}: not a documented key`);
    else {
      const why = check(v);
      if (why) out.push(`${where}.${k}: ${why} (got ${JSON.stringify(v)})`);
    }
  }
  return out;
}

/** Keys every MQTT entity may have. */
const ENTITY: Record<string, Check> = {
  availability: (v) => (Array.isArray(v) ? undefined : 'must be a list'),
  availability_mode: oneOf('all', 'any', 'latest'),
  availability_template: isTemplate,
  availability_topic: topic,
  default_entity_id: isString,
  device: () => undefined, // checked below
  enabled_by_default: isBoolean,
  encoding: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  entity_category: oneOf('config', 'diagnostic'),
  entity_picture: isString,
  icon: (v) => (typeof v === 'string' && /^[a-z]+:[a-z0-9-]+$/.test(v) ? undefined : 'must be an icon like mdi:name'),
  json_attributes_template: isTemplate,
  json_attributes_topic: topic,
  name: (v) => (v === null ? undefined : isString(v)),
  object_id: isString,
  origin: () => undefined, // checked below
  payload_available: isString,
  payload_not_available: isString,
  platform: oneOf('mqtt'),
  qos: oneOf(0, 1, 2),
  unique_id: isString,
  state_topic: topic,
  value_template: isTemplate,
  expire_after: integer(0),
  force_update: isBoolean,
};

const COMPONENTS: Record<string, Record<string, Check>> = {
  sensor: {
    ...ENTITY,
    device_class: oneOf(...SENSOR_DEVICE_CLASSES),
    last_reset_value_template: isTemplate,
    options: stringList,
    state_class: oneOf('measurement', 'measurement_angle', 'total', 'total_increasing'),
    suggested_display_precision: integer(0),
    unit_of_measurement: isString,
  },
  binary_sensor: {
    ...ENTITY,
    device_class: oneOf(...BINARY_SENSOR_DEVICE_CLASSES),
    off_delay: integer(0),
    payload_off: isString,
    payload_on: isString,
  },
};

/** <discovery_prefix>/<component>/[<node_id>/]<object_id>/config, IDs in [a-zA-Z0-9_-]. */
export function configTopicPattern(discoveryPrefix: string): RegExp {
  const prefix = discoveryPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${prefix}/(?<component>[a-z_]+)/(?:(?<nodeId>[a-zA-Z0-9_-]+)/)?(?<objectId>[a-zA-Z0-9_-]+)/config$`);
}

/** Every way `payload`, published on `configTopic`, breaks the documented discovery schema. */
export function discoveryProblems(configTopic: string, payload: unknown, discoveryPrefix = 'homeassistant'): string[] {
  const m = configTopicPattern(discoveryPrefix).exec(configTopic);
  if (!m) return [`${configTopic}: not ${discoveryPrefix}/<component>/[<node_id>/]<object_id>/config with IDs in [a-zA-Z0-9_-]`];
  const component = m.groups!.component!;
  const keys = COMPONENTS[component];
  if (!keys) return [`${configTopic}: component "${component}" is not one this schema knows`];
  const out = objectProblems('config', payload, keys);
  if (out.length > 0 && out[0] === 'config: must be an object') return out;
  const p = payload as Record<string, unknown>;
  if (p.state_topic === undefined) out.push('config.state_topic: required');
  if (p.availability !== undefined && p.availability_topic !== undefined) out.push('config: availability and availability_topic must not be used together');
  if (p.device !== undefined) {
    out.push(...objectProblems('config.device', p.device, DEVICE));
    const d = p.device as Record<string, unknown>;
    if (d.identifiers === undefined && d.connections === undefined) out.push('config.device: needs identifiers or connections');
    if (p.unique_id === undefined) out.push('config: a device needs a unique_id on the entity');
  }
  if (p.origin !== undefined) {
    out.push(...objectProblems('config.origin', p.origin, ORIGIN));
    if ((p.origin as Record<string, unknown>).name === undefined) out.push('config.origin.name: required');
  }
  if (component === 'sensor') {
    const cls = p.device_class as string | undefined;
    if (cls === 'enum') {
      if (p.options === undefined) out.push('config.options: required for device_class enum');
      if (p.state_class !== undefined) out.push('config.state_class: not allowed for device_class enum');
      if (p.unit_of_measurement !== undefined) out.push('config.unit_of_measurement: not allowed for device_class enum');
    } else if (p.options !== undefined) out.push('config.options: only for device_class enum');
    const units = cls ? UNITS[cls] : undefined;
    if (units && !units.includes(p.unit_of_measurement as string)) {
      out.push(`config.unit_of_measurement: device_class ${cls} takes ${units.join(' or ')} (got ${JSON.stringify(p.unit_of_measurement)})`);
    }
  }
  return out;
}

/** The `value_json.<path>` each template reads, as paths of keys. */
export function templatePaths(template: string): string[][] {
  return [...template.matchAll(/value_json((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1]!.slice(1).split('.'));
}
