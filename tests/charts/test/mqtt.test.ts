// mqtt.*: off by default; when on, the values become the apps' MQTT_* variables (read back with
// the apps' own option parsers), the password and the CA come from existing Secrets mounted as
// files, and a network policy lets out only DNS and the broker's port.
import { describe, expect, it } from 'vitest';
import { options as lightSensorOptions } from '@gpio-fleet/light-sensor/options';
import { options as trafficLightOptions } from '@gpio-fleet/traffic-light/options';
import { container, envOf, podSpec } from './support/daemonset.js';
import { only, render, templateFailure, type K8sObject } from './support/helm.js';
import { appCharts } from './support/paths.js';

const declared = { 'light-sensor': lightSensorOptions, 'traffic-light': trafficLightOptions } as const;
type NetworkPolicy = K8sObject & { spec: { egress?: { ports: { port: number; protocol: string }[]; to?: unknown[] }[] } };

const failure = (chart: string, set: string[]): string => {
  const res = templateFailure(chart, { set });
  expect(res.status, `helm template ${chart} --set ${set.join(' ')} should fail`).not.toBe(0);
  return res.stderr;
};

for (const { name: chart } of appCharts) {
  const o = declared[chart];
  describe(`${chart}: mqtt`, () => {
    it('is off by default: no MQTT variable, no Secret mounted', () => {
      const objects = render(chart);
      expect([...envOf(container(objects)).keys()].filter((k) => k.startsWith('MQTT_'))).toEqual([]);
      expect(podSpec(objects).volumes ?? []).toEqual([]);
    });

    it('passes the values as the MQTT_* variables the app reads', () => {
      const env = envOf(
        container(
          render(chart, {
            set: [
              'mqtt.enabled=true',
              'mqtt.url=wss://broker.lan:8884/mqtt',
              'mqtt.username=pi',
              'mqtt.topicPrefix=home/gpio',
              'mqtt.heartbeat=30s',
              'mqtt.queueSize=500',
              'mqtt.discovery.enabled=false',
              'mqtt.discovery.prefix=ha',
              'mqtt.discovery.cleanup=true',
            ],
          }),
        ),
      );
      expect(o.mqttUrl.parse(env.get('MQTT_URL')!).href).toBe('wss://broker.lan:8884/mqtt');
      expect(env.get('MQTT_USERNAME')).toBe('pi');
      expect(o.mqttTopicPrefix.parse(env.get('MQTT_TOPIC_PREFIX')!)).toBe('home/gpio');
      expect(o.mqttHeartbeat.parse(env.get('MQTT_HEARTBEAT')!)).toBe(30);
      expect(o.mqttQueueSize.parse(env.get('MQTT_QUEUE_SIZE')!)).toBe(500);
      expect(o.mqttDiscovery.parse(env.get('MQTT_DISCOVERY')!)).toBe(false);
      expect(o.mqttDiscoveryPrefix.parse(env.get('MQTT_DISCOVERY_PREFIX')!)).toBe('ha');
      expect(o.mqttDiscoveryCleanup.parse(env.get('MQTT_DISCOVERY_CLEANUP')!)).toBe(true);
      // One client ID for every pod of a DaemonSet would make them throw each other off the broker.
      expect(env.has('MQTT_CLIENT_ID')).toBe(false);
    });

    it('renders defaults the app parses to its own defaults', () => {
      const env = envOf(container(render(chart, { set: ['mqtt.enabled=true', 'mqtt.url=mqtt://broker'] })));
      for (const key of ['mqttTopicPrefix', 'mqttHeartbeat', 'mqttQueueSize', 'mqttDiscovery', 'mqttDiscoveryPrefix'] as const) {
        const option = o[key];
        expect(option.parse(env.get(option.env!)!), option.env).toEqual(option.parse(option.defaultText!));
      }
      expect(o.mqttDiscoveryCleanup.parse(env.get('MQTT_DISCOVERY_CLEANUP')!)).toBe(false);
      expect(env.has('MQTT_PASSWORD_FILE')).toBe(false);
      expect(env.has('MQTT_CA_FILE')).toBe(false);
    });

    it('mounts the existing Secrets read-only and points MQTT_PASSWORD_FILE and MQTT_CA_FILE at them', () => {
      const objects = render(chart, { valuesFiles: ['ci/mqtt-values.yaml'] });
      const c = container(objects);
      const env = envOf(c);
      const volumes = new Map(podSpec(objects).volumes!.map((v) => [v.name, v as unknown as { secret: { secretName: string; items: { key: string; path: string }[] } }]));
      for (const [variable, volume, secret, key, file] of [
        ['MQTT_PASSWORD_FILE', 'mqtt-password', 'mqtt', 'password', 'password'],
        ['MQTT_CA_FILE', 'mqtt-ca', 'mqtt-ca', 'ca.crt', 'ca.crt'],
      ] as const) {
        const mount = c.volumeMounts!.find((m) => m.name === volume)!;
        expect(mount.readOnly).toBe(true);
        expect(env.get(variable)).toBe(`${mount.mountPath}/${file}`);
        expect(volumes.get(volume)!.secret).toEqual({ secretName: secret, items: [{ key, path: file }] });
      }
      // The password itself is nowhere in the pod spec.
      expect(JSON.stringify(podSpec(objects))).not.toMatch(/MQTT_PASSWORD"/);
    });

    it('takes the Secret keys from passwordKey and caKey', () => {
      const objects = render(chart, { set: ['mqtt.enabled=true', 'mqtt.url=mqtts://b', 'mqtt.existingSecret=s', 'mqtt.passwordKey=pw', 'mqtt.caSecret=c', 'mqtt.caKey=root.pem'] });
      const items = podSpec(objects).volumes!.map((v) => (v as unknown as { secret: { items: unknown[] } }).secret.items[0]);
      expect(items).toEqual([
        { key: 'pw', path: 'password' },
        { key: 'root.pem', path: 'ca.crt' },
      ]);
    });

    it.each([
      ['mqtt://broker', 1883],
      ['mqtts://broker', 8883],
      ['ws://broker/mqtt', 80],
      ['wss://broker', 443],
      ['mqtt://10.0.0.5:11883', 11883],
    ])('with networkPolicy.enabled lets out DNS and the broker of %s on port %i', (url, port) => {
      const np = only<NetworkPolicy>(render(chart, { set: ['mqtt.enabled=true', `mqtt.url=${url}`, 'networkPolicy.enabled=true'] }), 'NetworkPolicy');
      expect(np.spec.egress).toEqual([
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        { ports: [{ port, protocol: 'TCP' }] },
      ]);
    });

    it('limits the broker egress to mqtt.networkPolicyTo', () => {
      const np = only<NetworkPolicy>(render(chart, { valuesFiles: ['ci/mqtt-values.yaml'], set: ['mqtt.networkPolicyTo[0].ipBlock.cidr=192.168.1.20/32'] }), 'NetworkPolicy');
      expect(np.spec.egress![1]).toEqual({ ports: [{ port: 8883, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '192.168.1.20/32' } }] });
    });

    it.each([
      [['mqtt.enabled=true'], /mqtt\.url/],
      [['mqtt.enabled=true', 'mqtt.url=http://broker'], /mqtt\.url|mqtt\/url/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://user:pw@broker'], /mqtt\.url|mqtt\/url/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://b', 'mqtt.topicPrefix=a/#'], /topicPrefix/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://b', 'mqtt.existingSecret=Not_A_Name'], /existingSecret/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://b', 'mqtt.queueSize=0'], /queueSize/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://b', 'mqtt.heartbeat=soon'], /heartbeat/],
      [['mqtt.enabled=true', 'mqtt.url=mqtt://b', 'mqtt.password=x'], /password/],
    ])('refuses %j, naming the key', (set, key) => {
      expect(failure(chart, set)).toMatch(key);
    });
  });
}

describe('light-sensor: sensor.mqttMinDelta', () => {
  it('becomes LIGHT_SENSOR_MQTT_MIN_DELTA, parsed by the app as given', () => {
    const env = envOf(container(render('light-sensor', { set: ['sensor.mqttMinDelta=0.2'] })));
    expect(lightSensorOptions.mqttMinDelta.parse(env.get('LIGHT_SENSOR_MQTT_MIN_DELTA')!)).toBe(0.2);
  });
});
