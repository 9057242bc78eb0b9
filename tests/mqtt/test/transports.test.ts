// Every transport the apps take (mqtt://, mqtts:// with the broker's own CA, ws://, wss://),
// from the built CLI and from the standalone executable, and the failures a user meets first:
// an untrusted certificate and a wrong password, which leave the GPIO work alone.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRecords, REPO_ROOT, start, waitFor, type Started } from '@gpio-fleet/test-tools';
import { brokerArgs, startMqttApp, type MqttApp } from './support/apps.js';
import { startBroker, USER, type Broker } from './support/broker.js';
import { subscribe, type Subscriber } from './support/subscriber.js';

let broker: Broker;
let sub: Subscriber;
const started: Started[] = [];

beforeAll(async () => {
  broker = await startBroker();
  sub = await subscribe(broker, ['gpio-fleet/#']);
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await sub?.end();
  await broker?.close();
});

const run = async (...args: Parameters<typeof startMqttApp>): Promise<MqttApp> => {
  const a = await startMqttApp(...args);
  started.push(a.proc);
  return a;
};

describe.each(['mqtt', 'mqtts', 'ws', 'wss'] as const)('over %s://', (transport) => {
  it('the light sensor connects and its state reaches a subscriber on another listener', async () => {
    const a = await run('light-sensor', `pi-${transport}`, [...brokerArgs(broker, transport), '--interval', '250ms']);
    const m = await sub.until('a state message', () => sub.on(a.stateTopic).at(0));
    expect(JSON.parse(m.payload)).toMatchObject({ result: 'ok' });
    expect(await a.metric('mqtt_connected')).toBe(1);
    expect(logRecords(a.proc).find((r) => r.msg === 'MQTT connected')).toMatchObject({ url: expect.stringMatching(new RegExp(`^${transport}://`)) });
    await a.proc.stop();
  });
});

describe('failures that leave the GPIO work alone', () => {
  it("refuses a broker certificate signed by a CA it was not given, and keeps reading", async () => {
    const a = await run('light-sensor', 'pi-untrusted', ['--mqtt-url', broker.urls.mqtts, '--mqtt-username', USER, '--mqtt-password-file', broker.passwordFile, '--interval', '250ms']);
    const warned = await waitFor('a TLS warning', () => logRecords(a.proc).find((r) => r.msg === 'MQTT broker unreachable or refused the connection; retrying with backoff'));
    expect(String(warned.error)).toMatch(/certificate|self.signed|issuer/i);
    await waitFor('readings', async () => (((await a.metric('light_sensor_readings_total', { result: 'ok' })) ?? 0) >= 3 ? true : undefined));
    expect(await a.metric('mqtt_connected')).toBe(0);
    expect(sub.on(a.stateTopic)).toEqual([]);
    await a.proc.stop();
  });

  it('is refused with a wrong password, says so, and keeps reading', async () => {
    const a = await run('traffic-light', 'pi-wrongpw', ['--mqtt-url', broker.urls.mqtt, '--mqtt-username', USER, '--phases', 'red:300ms,green:300ms'], { MQTT_PASSWORD: 'not-the-password' });
    const warned = await waitFor('a refusal', () => logRecords(a.proc).find((r) => r.msg === 'MQTT broker unreachable or refused the connection; retrying with backoff'));
    expect(String(warned.error)).toMatch(/Not authorized|Bad username or password/i);
    await waitFor('cycles', async () => (((await a.metric('traffic_light_cycles_total')) ?? 0) >= 2 ? true : undefined));
    expect(await a.metric('mqtt_connected')).toBe(0);
    // The password never reaches the log.
    expect(a.proc.stderr()).not.toContain('not-the-password');
    await a.proc.stop();
  });
});

describe('the standalone executable', () => {
  it.each([
    ['light-sensor', 'mqtts'],
    ['traffic-light', 'ws'],
  ] as const)('%s-linux-x64 publishes over %s://', async (app, transport) => {
    const node = `pi-sea-${app}`;
    const p = start(join(REPO_ROOT, 'dist', 'bin', `${app}-linux-x64`), ['--gpio', 'mock', '--port', '0', '--host', '127.0.0.1', '--log-format', 'json', ...brokerArgs(broker, transport)], {
      env: { ...process.env, NODE_NAME: node },
    });
    started.push(p);
    const state = await sub.until('a state message', () => sub.on(`gpio-fleet/${node}/${app}/state`).at(0), 30_000);
    expect(JSON.parse(state.payload)).toHaveProperty(app === 'light-sensor' ? 'lux' : 'phase');
    expect(sub.on(`gpio-fleet/${node}/${app}/status`).map((m) => m.payload)).toContain('online');
    expect((await p.stop()).code).toBe(0);
    // Only JSON on stderr: no library warning outside the log.
    for (const line of p.stderr().split('\n').filter(Boolean)) expect(line.startsWith('{'), line).toBe(true);
  });
});
