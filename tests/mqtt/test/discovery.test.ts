// Home Assistant discovery as a real broker delivers it: both apps' retained configs, field by
// field against the documented schema, republished when Home Assistant comes online, and
// removed on a clean stop only when asked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@gpio-fleet/test-tools';
import { brokerArgs, startMqttApp, type AppName, type MqttApp } from './support/apps.js';
import { startBroker, type Broker } from './support/broker.js';
import { discoveryProblems, templatePaths } from './support/home-assistant-schema.js';
import { retained, subscribe, type Received, type Subscriber } from './support/subscriber.js';

const HEARTBEAT_SECONDS = 60; // the apps' default --mqtt-heartbeat
const PHASES = 'red:1s,red+amber:500ms,green:1s,amber:500ms';
const version = (app: AppName): string => (JSON.parse(readFileSync(join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8')) as { version: string }).version;

interface Config {
  topic: string;
  retain: boolean;
  payload: Record<string, unknown>;
}

const expected: Record<AppName, { node: string; nodeId: string; args: string[]; configs: number }> = {
  // A dot is not in Home Assistant's ID alphabet: the node_id level shows how it is mapped.
  'light-sensor': { node: 'pi-4.lan', nodeId: 'pi-4_lan', args: ['--mock-lux', '300', '--interval', '250ms'], configs: 2 },
  'traffic-light': { node: 'pi-5', nodeId: 'pi-5', args: ['--phases', PHASES], configs: 4 },
};

let broker: Broker;
let sub: Subscriber;
const apps = new Map<AppName, MqttApp>();

/** The configs received for `nodeId`, the first of each topic (republished ones are the same). */
const configsOf = (messages: Received[], nodeId: string): Config[] => {
  const byTopic = new Map<string, Config>();
  for (const m of messages) {
    if (!m.topic.startsWith('homeassistant/') || !m.topic.endsWith('/config') || m.topic.split('/')[2] !== nodeId || m.payload === '') continue;
    if (!byTopic.has(m.topic)) byTopic.set(m.topic, { topic: m.topic, retain: m.retain, payload: JSON.parse(m.payload) as Record<string, unknown> });
  }
  return [...byTopic.values()];
};

beforeAll(async () => {
  broker = await startBroker();
  sub = await subscribe(broker, ['homeassistant/#', 'gpio-fleet/#']);
  for (const [app, e] of Object.entries(expected) as [AppName, (typeof expected)[AppName]][]) {
    apps.set(app, await startMqttApp(app, e.node, [...brokerArgs(broker), ...e.args]));
  }
  for (const [app, e] of Object.entries(expected) as [AppName, (typeof expected)[AppName]][]) {
    const a = apps.get(app)!;
    await sub.until(`${app}'s configs and a state message`, (ms) => (configsOf(ms, e.nodeId).length >= e.configs && ms.some((m) => m.topic === a.stateTopic) ? true : undefined));
  }
});

afterAll(async () => {
  await Promise.all([...apps.values()].map((a) => a.proc.stop()));
  await sub?.end();
  await broker?.close();
});

for (const app of Object.keys(expected) as AppName[]) {
  const e = expected[app];
  describe(`${app}: Home Assistant discovery`, () => {
    const configs = (): Config[] => configsOf(sub.messages, e.nodeId);

    it('publishes one retained config per entity on <prefix>/<component>/<node_id>/<object_id>/config', async () => {
      const cs = configs();
      expect(cs).toHaveLength(e.configs);
      for (const c of cs) expect(c.topic).toMatch(new RegExp(`^homeassistant/(sensor|binary_sensor)/${e.nodeId}/${app}_[a-z_]+/config$`));
      // Retained: a subscriber that comes later (Home Assistant after a restart) still gets them.
      const later = await retained(broker, `homeassistant/+/${e.nodeId}/+/config`);
      expect(later.map((m) => m.topic).sort()).toEqual(cs.map((c) => c.topic).sort());
    });

    it("passes Home Assistant's documented discovery schema, key by key", () => {
      for (const c of configs()) expect(discoveryProblems(c.topic, c.payload), c.topic).toEqual([]);
    });

    it('points every entity at the state and availability topics, with expire_after beyond the heartbeat', () => {
      const a = apps.get(app)!;
      for (const { payload: p } of configs()) {
        expect(p.state_topic).toBe(a.stateTopic);
        expect(p.availability_topic).toBe(a.statusTopic);
        expect(p.payload_available).toBe('online');
        expect(p.payload_not_available).toBe('offline');
        expect(p.qos).toBe(1);
        expect(Number.isInteger(p.expire_after)).toBe(true);
        expect(p.expire_after as number).toBeGreaterThan(HEARTBEAT_SECONDS);
      }
    });

    it('describes one device per node and app (identifiers, name from the node, model, sw_version) and the origin', () => {
      const cs = configs();
      const device = cs[0]!.payload.device as Record<string, unknown>;
      for (const c of cs) expect(c.payload.device).toEqual(device);
      expect(device.identifiers).toEqual([`gpio-fleet_${e.nodeId}_${app}`]);
      expect(device.name).toBe(`${e.node} ${app}`);
      expect(device.model).toBe(app);
      expect(device.sw_version).toBe(version(app));
      for (const c of cs) expect(c.payload.origin).toEqual({ name: 'gpio-fleet', sw_version: version(app), support_url: 'https://github.com/gpio-fleet/gpio-fleet' });
      const ids = cs.map((c) => c.payload.unique_id as string);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(new RegExp(`^gpio-fleet_${e.nodeId}_${app}_`));
    });

    it("reads only fields the app's real state messages have", () => {
      const a = apps.get(app)!;
      const state = JSON.parse(sub.on(a.stateTopic).at(-1)!.payload) as Record<string, unknown>;
      for (const { topic, payload } of configs()) {
        for (const path of templatePaths(payload.value_template as string)) {
          const value = path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], state);
          expect(value, `${topic}: value_json.${path.join('.')}`).not.toBeUndefined();
        }
      }
    });

    it('republishes the configs when Home Assistant announces online on homeassistant/status', async () => {
      const before = sub.messages.length;
      await sub.publish('homeassistant/status', 'online');
      const again = await sub.until('configs again', (ms) => {
        const cs = configsOf(ms.slice(before), e.nodeId);
        return cs.length >= e.configs ? cs : undefined;
      });
      expect(new Set(again.map((c) => c.topic))).toEqual(new Set(configs().map((c) => c.topic)));
    });
  });
}

describe('light-sensor entities', () => {
  const payloads = () => configsOf(sub.messages, expected['light-sensor'].nodeId).map((c) => c.payload);
  it('an illuminance sensor in lx (Home Assistant rejects lux), state class measurement', () => {
    expect(payloads().find((p) => p.device_class === 'illuminance')).toMatchObject({ unit_of_measurement: 'lx', state_class: 'measurement', value_template: '{{ value_json.lux }}' });
  });
  it('a level sensor', () => {
    expect(payloads().find((p) => p.value_template === '{{ value_json.level }}')).toMatchObject({ state_class: 'measurement' });
  });
});

describe('traffic-light entities', () => {
  const configs = () => configsOf(sub.messages, expected['traffic-light'].nodeId);
  it('a phase sensor whose options are the configured phases', () => {
    const phase = configs().find((c) => c.topic.includes('/sensor/'))!.payload;
    expect(phase).toMatchObject({ device_class: 'enum', value_template: '{{ value_json.phase }}' });
    expect(phase.options).toEqual(['red', 'red_amber', 'green', 'amber']);
  });
  it('a binary sensor per lamp whose template renders its payload_on and payload_off', () => {
    const lamps = configs().filter((c) => c.topic.includes('/binary_sensor/'));
    expect(lamps.map((c) => c.topic.split('/')[3]).sort()).toEqual(['traffic-light_amber_lamp', 'traffic-light_green_lamp', 'traffic-light_red_lamp']);
    for (const { payload: p } of lamps) {
      expect(p).toMatchObject({ device_class: 'light', payload_on: 'ON', payload_off: 'OFF' });
      expect(p.value_template).toMatch(/^\{\{ 'ON' if value_json\.lamps\.(red|amber|green) else 'OFF' \}\}$/);
    }
  });
});

describe('discovery on and off', () => {
  it('leaves the retained configs in place on a plain clean stop', async () => {
    const a = await startMqttApp('light-sensor', 'pi-keep', brokerArgs(broker));
    await sub.until('pi-keep configs', (ms) => (configsOf(ms, 'pi-keep').length >= 2 ? true : undefined));
    expect((await a.proc.stop()).code).toBe(0);
    expect((await retained(broker, 'homeassistant/+/pi-keep/+/config')).filter((m) => m.payload !== '')).toHaveLength(2);
  });

  it('removes them with --mqtt-discovery-cleanup: empty retained configs, nothing left for a new subscriber', async () => {
    const a = await startMqttApp('traffic-light', 'pi-gone', [...brokerArgs(broker), '--mqtt-discovery-cleanup']);
    await sub.until('pi-gone configs', (ms) => (configsOf(ms, 'pi-gone').length >= 4 ? true : undefined));
    const before = sub.messages.length;
    expect((await a.proc.stop()).code).toBe(0);
    const empties = sub.messages.slice(before).filter((m) => m.topic.startsWith('homeassistant/') && m.topic.split('/')[2] === 'pi-gone' && m.payload === '');
    expect(empties.map((m) => m.topic).sort()).toEqual(
      ['binary_sensor/pi-gone/traffic-light_amber_lamp', 'binary_sensor/pi-gone/traffic-light_green_lamp', 'binary_sensor/pi-gone/traffic-light_red_lamp', 'sensor/pi-gone/traffic-light_phase'].map((t) => `homeassistant/${t}/config`),
    );
    expect(await retained(broker, 'homeassistant/+/pi-gone/+/config')).toEqual([]);
  });

  it('publishes state but no config with --mqtt-discovery false', async () => {
    const a = await startMqttApp('light-sensor', 'pi-quiet', [...brokerArgs(broker), '--mqtt-discovery', 'false', '--interval', '250ms']);
    await sub.until('pi-quiet state', (ms) => (ms.some((m) => m.topic === a.stateTopic) ? true : undefined));
    await a.proc.stop();
    expect(sub.messages.filter((m) => m.topic.includes('/pi-quiet/') && m.topic.startsWith('homeassistant/'))).toEqual([]);
  });
});
