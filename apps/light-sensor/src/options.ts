// Every light-sensor setting: flag, env var, default and accepted form in one place.
import { DEFAULT_CALIBRATION, parsePin, RC_FAULTS } from '@gpio-fleet/gpio';
import { formatDuration, opt, UsageError, type OptionValues } from '@gpio-fleet/cli-kit';
import { serviceOptions } from '@gpio-fleet/runtime';
import { MOCK_LUX_FORM, parseMockLight } from './mock-light.js';

const C = DEFAULT_CALIBRATION;

export const options = {
  pin: opt.custom({
    flag: 'pin',
    env: 'LIGHT_SENSOR_PIN',
    default: 'BOARD7',
    placeholder: '<pin>',
    accepted: 'BOARD<n>, J8:<n>, BCM<n>, GPIO<n>, WPI<n> or a bare BCM number',
    parse: parsePin,
    group: 'Sensor',
    description: 'Pin the LDR and capacitor meet on (physical pin 7 in the original wiring).',
  }),
  interval: opt.duration({ flag: 'interval', env: 'LIGHT_SENSOR_INTERVAL', default: '1s', positive: true, group: 'Sensor', description: 'Time between readings, measured start to start.' }),
  discharge: opt.duration({ flag: 'discharge', env: 'LIGHT_SENSOR_DISCHARGE', default: '100ms', positive: true, group: 'Sensor', description: 'How long the pin drives LOW to empty the capacitor before each reading.' }),
  timeout: opt.duration({ flag: 'timeout', env: 'LIGHT_SENSOR_TIMEOUT', default: '1s', positive: true, group: 'Sensor', description: 'Give up on a reading when the pin has not gone HIGH after this long (counted as result="timeout").' }),
  chargeTimeLimit: opt.duration({ flag: 'charge-time-limit', env: 'LIGHT_SENSOR_CHARGE_TIME_LIMIT', default: '10ms', positive: true, group: 'Sensor', description: 'Charge time that maps to level 0 (gpiozero: level = 1 - min(1, t / limit)).' }),
  queueLen: opt.number({ flag: 'queue-len', env: 'LIGHT_SENSOR_QUEUE_LEN', default: '5', integer: true, min: 1, max: 1000, group: 'Sensor', description: 'Report the median of this many recent readings.' }),
  pull: opt.oneOf({ flag: 'pull', env: 'LIGHT_SENSOR_PULL', default: 'none', values: ['none', 'down'] as const, group: 'Sensor', description: "The pin's internal pull while charging. The original circuit uses none; down needs more light to reach the threshold." }),
  logDelta: opt.number({ flag: 'log-delta', env: 'LIGHT_SENSOR_LOG_DELTA', default: '0.05', min: 0, max: 1, group: 'Logging', description: 'Log a reading only when the level moved by more than this since the last logged one (0 logs every reading). Failed readings are always logged.' }),
  once: opt.switch({ flag: 'once', group: 'Sensor', description: 'Take one reading, print it as one JSON line on stdout and exit (0 if ok, 1 on timeout or error).' }),
  r10: opt.number({ flag: 'r10', env: 'LIGHT_SENSOR_R10', default: String(C.r10), min: 0, exclusiveMin: true, group: 'Calibration', description: 'LDR resistance at 10 lux, ohms (GL5528: 8k-20k).' }),
  gamma: opt.number({ flag: 'gamma', env: 'LIGHT_SENSOR_GAMMA', default: String(C.gamma), min: 0, exclusiveMin: true, max: 2, group: 'Calibration', description: 'LDR slope: R = r10 * (lux/10)^-gamma (GL5528: 0.6-0.8).' }),
  capacitance: opt.number({ flag: 'capacitance', env: 'LIGHT_SENSOR_CAPACITANCE', default: '1e-6', min: 0, exclusiveMin: true, group: 'Calibration', description: 'Capacitor, farads.' }),
  vcc: opt.number({ flag: 'vcc', env: 'LIGHT_SENSOR_VCC', default: String(C.vcc), min: 0, exclusiveMin: true, group: 'Calibration', description: 'Supply voltage feeding the LDR.' }),
  vth: opt.number({ flag: 'vth', env: 'LIGHT_SENSOR_VTH', default: String(C.vth), min: 0, exclusiveMin: true, group: 'Calibration', description: 'Input HIGH threshold, volts (about 1.3-1.6 on BCM2835/2837, up to 2.0 on BCM2711).' }),
  pullDownOhms: opt.number({ flag: 'pull-down-ohms', env: 'LIGHT_SENSOR_PULL_DOWN_OHMS', default: '50000', min: 0, exclusiveMin: true, group: 'Calibration', description: 'Internal pull-down resistance assumed when --pull down.' }),
  mockLux: opt.custom({
    flag: 'mock-lux',
    env: 'MOCK_LUX',
    default: '100',
    placeholder: '<light>',
    accepted: MOCK_LUX_FORM,
    parse: parseMockLight,
    group: 'Mock backend',
    description: `Light on the simulated LDR: ${MOCK_LUX_FORM}. Change it at runtime with PUT /mock/lux.`,
  }),
  mockFault: opt.oneOf({ flag: 'mock-fault', env: 'MOCK_FAULT', default: 'none', values: RC_FAULTS, group: 'Mock backend', description: 'Simulate a wiring fault. Change it at runtime with PUT /mock/fault.' }),
  ...serviceOptions({ port: 9110 }),
  mqttMinDelta: opt.number({
    flag: 'mqtt-min-delta',
    env: 'LIGHT_SENSOR_MQTT_MIN_DELTA',
    default: '0.05',
    min: 0,
    group: 'MQTT',
    description:
      'Publish a reading at once only when lux moved by more than this fraction (0.05 = 5 %) since the last one published, or the result changed; the rest wait for the heartbeat. 0 publishes every reading.',
  }),
};

export type LightSensorOptions = OptionValues<typeof options>;

/**
 * Settings that are each valid but wrong together. An interval that is not longer than the
 * discharge can never fit a reading (each one drives the pin low for the whole discharge
 * first), so every boundary would be skipped: refuse it before touching the pin.
 */
export function checkTiming(o: Pick<LightSensorOptions, 'interval' | 'discharge'>): void {
  if (o.interval <= o.discharge) {
    throw new UsageError(
      `--interval ${formatDuration(o.interval)} is not longer than --discharge ${formatDuration(o.discharge)}: every reading first drives the pin low for the discharge time; accepted: an interval longer than the discharge (plus the charge time, up to --timeout, to never skip one)`,
    );
  }
}
