// The schema check itself can fail: each kind of mistake Home Assistant's documentation rules
// out is caught, so a clean result on the apps' payloads means something.
import { describe, expect, it } from 'vitest';
import { discoveryProblems, templatePaths } from './support/home-assistant-schema.js';

const TOPIC = 'homeassistant/sensor/pi-1/light-sensor_illuminance/config';
const good = {
  name: 'Illuminance',
  unique_id: 'gpio-fleet_pi-1_light-sensor_illuminance',
  state_topic: 'gpio-fleet/pi-1/light-sensor/state',
  value_template: '{{ value_json.lux }}',
  availability_topic: 'gpio-fleet/pi-1/light-sensor/status',
  expire_after: 180,
  device_class: 'illuminance',
  unit_of_measurement: 'lx',
  state_class: 'measurement',
  device: { identifiers: ['x'], name: 'pi-1 light-sensor', model: 'light-sensor', sw_version: '0.1.0' },
  origin: { name: 'gpio-fleet', sw_version: '0.1.0' },
};

describe('the Home Assistant discovery schema check', () => {
  it('passes a documented sensor config', () => expect(discoveryProblems(TOPIC, good)).toEqual([]));

  it.each([
    ['unit lux for illuminance', { ...good, unit_of_measurement: 'lux' }, /unit_of_measurement: device_class illuminance takes lx/],
    ['an undocumented key', { ...good, unit: 'lx' }, /config\.unit: not a documented key/],
    ['a misspelled device key', { ...good, device: { ...good.device, sw_verison: '1' } }, /config\.device\.sw_verison: not a documented key/],
    ['no state_topic', { ...good, state_topic: undefined }, /state_topic: (required|must be)/],
    ['a wildcard state topic', { ...good, state_topic: 'a/+/state' }, /state_topic: must be a topic without wildcards/],
    ['an unknown device class', { ...good, device_class: 'light_level' }, /device_class: must be one of/],
    ['an unknown state class', { ...good, state_class: 'measurements' }, /state_class: must be one of/],
    ['a fractional expire_after', { ...good, expire_after: 1.5 }, /expire_after: must be an integer/],
    ['a device without identifiers or connections', { ...good, device: { name: 'x' } }, /needs identifiers or connections/],
    ['an origin without a name', { ...good, origin: { sw_version: '1' } }, /origin\.name: required/],
    ['a device without a unique_id', { ...good, unique_id: undefined }, /needs a unique_id|unique_id: must be/],
    ['availability and availability_topic together', { ...good, availability: [{ topic: 'x' }] }, /must not be used together/],
    ['options without device_class enum', { ...good, options: ['a'] }, /options: only for device_class enum/],
    ['an enum with a state class', { ...good, device_class: 'enum', unit_of_measurement: undefined, options: ['a'] }, /state_class: not allowed/],
    ['a bad icon', { ...good, icon: 'brightness' }, /icon: must be an icon/],
  ])('catches %s', (_what, payload, problem) => {
    const clean = JSON.parse(JSON.stringify(payload)) as unknown; // drops the undefined keys
    expect(discoveryProblems(TOPIC, clean).join('\n')).toMatch(problem);
  });

  it('catches binary-sensor-only and sensor-only keys on the wrong component', () => {
    expect(discoveryProblems('homeassistant/binary_sensor/pi-1/x/config', { ...good, device_class: 'light' }).join('\n')).toMatch(/unit_of_measurement: not a documented key/);
    expect(discoveryProblems(TOPIC, { ...good, payload_on: 'ON' }).join('\n')).toMatch(/payload_on: not a documented key/);
  });

  it.each(['homeassistant/sensor/pi.1/x/config', 'homeassistant/sensor/x/state', 'homeassistant/sensor/a/b/c/config'])('refuses the config topic %s', (t) => {
    expect(discoveryProblems(t, good)).not.toEqual([]);
  });

  it('reads the state paths a template uses', () => {
    expect(templatePaths('{{ value_json.lux }}')).toEqual([['lux']]);
    expect(templatePaths("{{ 'ON' if value_json.lamps.red else 'OFF' }}")).toEqual([['lamps', 'red']]);
  });
});
