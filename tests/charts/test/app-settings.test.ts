// App settings in values become the environment variables the apps read (names from the app
// CLI contract); extraArgs and extraEnv reach the container.
import { describe, expect, it } from 'vitest';
import { container, envOf } from './support/daemonset.js';
import { render } from './support/helm.js';

describe('light-sensor settings', () => {
  it('maps every setting to its LIGHT_SENSOR_* / LOG_LEVEL variable, with the app defaults', () => {
    const env = envOf(container(render('light-sensor')));
    expect(Object.fromEntries([...env].filter(([k]) => k.startsWith('LIGHT_SENSOR_') || k === 'LOG_LEVEL'))).toEqual({
      LIGHT_SENSOR_PIN: 'BOARD7',
      LIGHT_SENSOR_INTERVAL: '1s',
      LIGHT_SENSOR_DISCHARGE: '100ms',
      LIGHT_SENSOR_TIMEOUT: '1s',
      LIGHT_SENSOR_CHARGE_TIME_LIMIT: '10ms',
      LIGHT_SENSOR_QUEUE_LEN: '5',
      LIGHT_SENSOR_PULL: 'none',
      LIGHT_SENSOR_R10: '15000',
      LIGHT_SENSOR_GAMMA: '0.7',
      LIGHT_SENSOR_CAPACITANCE: '1e-06',
      LIGHT_SENSOR_VCC: '3.3',
      LIGHT_SENSOR_VTH: '1.6',
      LIGHT_SENSOR_PULL_DOWN_OHMS: '50000',
      LIGHT_SENSOR_LOG_DELTA: '0',
      LOG_LEVEL: 'info',
    });
  });

  it('passes changed settings through', () => {
    const env = envOf(
      container(
        render('light-sensor', {
          set: [
            'sensor.pin=GPIO17',
            'sensor.interval=250ms',
            'sensor.timeout=2s',
            'sensor.pull=down',
            'sensor.queueLen=9',
            'sensor.calibration.r10=8000',
            'sensor.calibration.gamma=0.65',
            'sensor.calibration.capacitance=4.7e-7',
            'sensor.calibration.vth=2',
            'sensor.logDelta=0.1',
            'logLevel=debug',
            'metrics.port=9200',
          ],
        }),
      ),
    );
    expect(env.get('LIGHT_SENSOR_PIN')).toBe('GPIO17');
    expect(env.get('LIGHT_SENSOR_INTERVAL')).toBe('250ms');
    expect(env.get('LIGHT_SENSOR_TIMEOUT')).toBe('2s');
    expect(env.get('LIGHT_SENSOR_PULL')).toBe('down');
    expect(env.get('LIGHT_SENSOR_QUEUE_LEN')).toBe('9');
    expect(env.get('LIGHT_SENSOR_R10')).toBe('8000');
    expect(env.get('LIGHT_SENSOR_GAMMA')).toBe('0.65');
    expect(Number(env.get('LIGHT_SENSOR_CAPACITANCE'))).toBe(4.7e-7);
    expect(env.get('LIGHT_SENSOR_VTH')).toBe('2');
    expect(env.get('LIGHT_SENSOR_LOG_DELTA')).toBe('0.1');
    expect(env.get('LOG_LEVEL')).toBe('debug');
    expect(env.get('METRICS_PORT')).toBe('9200');
  });

  it('accepts a bare BCM number as pin', () => {
    expect(envOf(container(render('light-sensor', { set: ['sensor.pin=4'] }))).get('LIGHT_SENSOR_PIN')).toBe('4');
  });
});

describe('traffic-light settings', () => {
  it('maps pins and phases to TRAFFIC_LIGHT_* with the app defaults', () => {
    const env = envOf(container(render('traffic-light')));
    expect(Object.fromEntries([...env].filter(([k]) => k.startsWith('TRAFFIC_LIGHT_')))).toEqual({
      TRAFFIC_LIGHT_RED_PIN: 'WPI13',
      TRAFFIC_LIGHT_AMBER_PIN: 'WPI12',
      TRAFFIC_LIGHT_GREEN_PIN: 'WPI14',
      TRAFFIC_LIGHT_PHASES: 'red:3s,red+amber:1s,green:5s,amber:2s',
    });
  });

  it('passes changed pins and phases through', () => {
    const env = envOf(
      container(render('traffic-light', { set: ['lights.pins.red=BOARD11', 'lights.pins.amber=J8:13', 'lights.pins.green=27', 'lights.phases=red:2s\\,green:2s\\,amber:500ms'] })),
    );
    expect(env.get('TRAFFIC_LIGHT_RED_PIN')).toBe('BOARD11');
    expect(env.get('TRAFFIC_LIGHT_AMBER_PIN')).toBe('J8:13');
    expect(env.get('TRAFFIC_LIGHT_GREEN_PIN')).toBe('27');
    expect(env.get('TRAFFIC_LIGHT_PHASES')).toBe('red:2s,green:2s,amber:500ms');
  });
});

describe('extraArgs and extraEnv', () => {
  for (const chart of ['light-sensor', 'traffic-light']) {
    it(`${chart}: flags go to args, extra variables come after the chart's own`, () => {
      const c = container(
        render(chart, {
          set: ['extraArgs[0]=--log-level', 'extraArgs[1]=debug', 'extraEnv[0].name=TZ', 'extraEnv[0].value=Europe/Berlin'],
        }),
      );
      expect(c.args).toEqual(['--log-level', 'debug']);
      expect(c.env?.at(-1)).toEqual({ name: 'TZ', value: 'Europe/Berlin' });
      expect(c.env?.[0]?.name).toBe('NODE_NAME');
    });
  }
});
