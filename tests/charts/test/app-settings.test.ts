// App settings in values become the environment variables the apps read; extraArgs and extraEnv
// reach the container. The variable names and the defaults come from the apps' own option
// declarations (apps/<app>/src/options.ts), so a renamed variable or a changed app default
// fails here until the chart follows.
import { describe, expect, it } from 'vitest';
import { options as lightSensorOptions } from '@gpio-fleet/light-sensor/options';
import { options as trafficLightOptions } from '@gpio-fleet/traffic-light/options';
import { container, envOf } from './support/daemonset.js';
import { render } from './support/helm.js';
import { appCharts } from './support/paths.js';

/** What the test needs of an option declaration. */
interface AppOption {
  flag: string;
  env?: string | undefined;
  defaultText?: string | undefined;
  parse(raw: string): unknown;
}

const declared: Record<string, AppOption[]> = {
  'light-sensor': Object.values(lightSensorOptions),
  'traffic-light': Object.values(trafficLightOptions),
};

// Variables the chart deliberately does not set to the app's default, with the reason. Every
// other variable an app reads must be rendered by default with a value the app parses to its own
// default.
const NOT_THE_APP_DEFAULT = {
  GPIO_BACKEND: 'the chart picks the backend from gpio.access; the app default "auto" would probe',
  GPIO_CHIP: 'set only where gpio.access needs a chip; otherwise the app finds it by label',
  METRICS_HOST: 'left unset: the app listens on 0.0.0.0, as a pod must',
  LOG_FORMAT: 'json: what log collectors read; "auto" would pick pretty lines if the pod had a TTY',
  // MQTT is off by default: its variables are set only with mqtt.enabled (mqtt.test.ts checks them).
  MQTT_TOPIC_PREFIX: 'set only with mqtt.enabled; without MQTT_URL the app publishes nothing',
  MQTT_HEARTBEAT: 'set only with mqtt.enabled',
  MQTT_QUEUE_SIZE: 'set only with mqtt.enabled',
  MQTT_DISCOVERY: 'set only with mqtt.enabled',
  MQTT_DISCOVERY_PREFIX: 'set only with mqtt.enabled',
};
const notTheAppDefault: Record<string, Record<string, string>> = {
  'light-sensor': {
    ...NOT_THE_APP_DEFAULT,
    MOCK_LUX: 'mock.lux runs a 10-minute day so a dashboard shows movement; the app default is a constant 100',
  },
  'traffic-light': {
    ...NOT_THE_APP_DEFAULT,
    TRAFFIC_LIGHT_CYCLES: 'left unset: a DaemonSet pod runs until stopped, which is the app default 0',
  },
};
// Set by the chart although no option declares it: the downward API gives the node name,
// which the apps put on every series.
const NOT_OPTIONS = ['NODE_NAME'];

/** Every variable the chart renders with its defaults; the mock's only exist in mode none. */
function renderedEnv(chart: string): Map<string, string> {
  const none = envOf(container(render(chart, { set: ['gpio.access=none'] })));
  const byDefault = envOf(container(render(chart)));
  return new Map([...none, ...byDefault]);
}

for (const { name: chart } of appCharts) {
  describe(`${chart}: app settings from the app's option declarations`, () => {
    const env = renderedEnv(chart);
    const options = declared[chart]!;
    const withEnv = options.filter((o): o is AppOption & { env: string } => o.env !== undefined);
    const exceptions = notTheAppDefault[chart]!;

    it('sets only variables the app reads', () => {
      const known = new Set([...withEnv.map((o) => o.env), ...NOT_OPTIONS]);
      expect([...env.keys()].filter((k) => !known.has(k))).toEqual([]);
    });

    it('lists as exceptions only variables the app reads', () => {
      expect(Object.keys(exceptions).filter((k) => !withEnv.some((o) => o.env === k))).toEqual([]);
    });

    it.each(withEnv.filter((o) => !(o.env in exceptions)).map((o) => [o.env, o] as const))(
      'renders %s with the app default',
      (name, option) => {
        const rendered = env.get(name);
        if (option.defaultText === undefined) {
          expect(rendered, `${name} has no app default, so the chart must leave it unset`).toBeUndefined();
          return;
        }
        expect(rendered, `the chart does not set ${name} (--${option.flag}, app default ${option.defaultText})`).toBeDefined();
        // Compared as the app reads them: "1e-06" from the chart and "1e-6" in the app are one value.
        expect(option.parse(rendered!), `${name}="${rendered}", the app default is "${option.defaultText}"`).toEqual(option.parse(option.defaultText));
      },
    );
  });
}

describe('light-sensor settings', () => {
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

  it('runs the mock with mock.lux and mock.fault in mode none only', () => {
    const none = envOf(container(render('light-sensor', { set: ['gpio.access=none', 'mock.lux=250', 'mock.fault=stuck-low'] })));
    expect(none.get('MOCK_LUX')).toBe('250');
    expect(none.get('MOCK_FAULT')).toBe('stuck-low');
    expect(envOf(container(render('light-sensor'))).has('MOCK_LUX')).toBe(false);
  });
});

describe('traffic-light settings', () => {
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
  for (const { name: chart } of appCharts) {
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
