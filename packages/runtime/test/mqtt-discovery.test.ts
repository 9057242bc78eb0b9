// The discovery payloads and topic names are pure: checked here field by field; tests/mqtt
// checks the same payloads as a real broker delivers them, against Home Assistant's schema.
import { describe, expect, it } from 'vitest';
import { discoveryId, discoveryMessages, expireAfterSeconds, mqttTopics, parseTopicLevels, type DiscoveryEntity } from '../src/index.js';

const topics = mqttTopics({ prefix: 'gpio-fleet', node: 'pi-1.local', app: 'light-sensor', discoveryPrefix: 'homeassistant' });
const subject = { app: 'light-sensor', node: 'pi-1.local', version: '1.2.3', expireAfter: 180 };
const entities: DiscoveryEntity[] = [
  { component: 'sensor', key: 'illuminance', name: 'Illuminance', deviceClass: 'illuminance', unit: 'lx', stateClass: 'measurement', valueTemplate: '{{ value_json.lux }}' },
  { component: 'binary_sensor', key: 'red_lamp', name: 'Red lamp', deviceClass: 'light', payloadOn: 'ON', payloadOff: 'OFF', valueTemplate: "{{ 'ON' if value_json.lamps.red else 'OFF' }}" },
];

describe('MQTT topics', () => {
  it('puts state and availability under <prefix>/<node>/<app>, configs under the discovery prefix', () => {
    expect(topics.state).toBe('gpio-fleet/pi-1.local/light-sensor/state');
    expect(topics.status).toBe('gpio-fleet/pi-1.local/light-sensor/status');
    expect(topics.homeAssistantStatus).toBe('homeassistant/status');
    // node_id and object_id only in Home Assistant's alphabet [a-zA-Z0-9_-].
    expect(topics.config('sensor', 'light-sensor_illuminance')).toBe('homeassistant/sensor/pi-1_local/light-sensor_illuminance/config');
  });
  it('maps any text into the discovery ID alphabet', () => {
    expect(discoveryId('pi 1.local/x+y#z')).toBe('pi_1_local_x_y_z');
    expect(discoveryId('Pi-4_b')).toBe('Pi-4_b');
  });
  it.each(['a/b', 'home/gpio-fleet', 'x'])('accepts the topic prefix %s', (p) => expect(parseTopicLevels(p)).toBe(p));
  it.each(['', 'a/+', '#', 'a//b', '/a', 'a/'])('refuses the topic prefix "%s"', (p) => expect(() => parseTopicLevels(p)).toThrow());
});

describe('Home Assistant discovery payloads', () => {
  const messages = discoveryMessages(subject, topics, entities);

  it('gives each entity a retained config on <discovery prefix>/<component>/<node_id>/<object_id>/config', () => {
    expect(messages.map((m) => m.topic)).toEqual([
      'homeassistant/sensor/pi-1_local/light-sensor_illuminance/config',
      'homeassistant/binary_sensor/pi-1_local/light-sensor_red_lamp/config',
    ]);
  });

  it('writes the sensor with its class, unit, state class, topics, expiry, device and origin', () => {
    expect(messages[0]!.payload).toEqual({
      name: 'Illuminance',
      unique_id: 'gpio-fleet_pi-1_local_light-sensor_illuminance',
      state_topic: 'gpio-fleet/pi-1.local/light-sensor/state',
      value_template: '{{ value_json.lux }}',
      availability_topic: 'gpio-fleet/pi-1.local/light-sensor/status',
      payload_available: 'online',
      payload_not_available: 'offline',
      expire_after: 180,
      qos: 1,
      device_class: 'illuminance',
      unit_of_measurement: 'lx',
      state_class: 'measurement',
      device: { identifiers: ['gpio-fleet_pi-1_local_light-sensor'], name: 'pi-1.local light-sensor', manufacturer: 'gpio-fleet', model: 'light-sensor', sw_version: '1.2.3' },
      origin: { name: 'gpio-fleet', sw_version: '1.2.3', support_url: 'https://github.com/gpio-fleet/gpio-fleet' },
    });
  });

  it('writes a binary sensor with its on and off payloads and no sensor-only keys', () => {
    const p = messages[1]!.payload;
    expect(p).toMatchObject({ payload_on: 'ON', payload_off: 'OFF', device_class: 'light', expire_after: 180 });
    expect(p).not.toHaveProperty('unit_of_measurement');
    expect(p).not.toHaveProperty('state_class');
  });

  it('gives every entity its own unique_id and all of them one device', () => {
    expect(new Set(messages.map((m) => m.payload.unique_id)).size).toBe(messages.length);
    expect(new Set(messages.map((m) => JSON.stringify(m.payload.device))).size).toBe(1);
  });

  it('refuses an entity key outside [a-z0-9_] and a key used twice', () => {
    expect(() => discoveryMessages(subject, topics, [{ ...entities[0]!, key: 'Lux!' }])).toThrow(/Lux!/);
    expect(() => discoveryMessages(subject, topics, [entities[0]!, entities[0]!])).toThrow(/twice/);
  });

  it('expires an entity after three heartbeats, always longer than one', () => {
    expect(expireAfterSeconds(60)).toBe(180);
    for (const h of [1, 1.5, 7, 60, 3600]) expect(expireAfterSeconds(h)).toBeGreaterThan(h);
  });
});
