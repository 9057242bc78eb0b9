// What the apps publish on <prefix>/<node>/<app>/state, read by a real subscriber: the light
// sensor's readings against the simulated circuit, the change filter and the heartbeat, and
// the traffic light's phases and lamps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeTime, DEFAULT_CALIBRATION, lightLevel } from '@gpio-fleet/gpio';
import { brokerArgs, startMqttApp, type MqttApp } from './support/apps.js';
import { startBroker, type Broker } from './support/broker.js';
import { subscribe, type Received, type Subscriber } from './support/subscriber.js';

const LUX = 250;

let broker: Broker;
let sub: Subscriber;
const started: MqttApp[] = [];
const run = async (...args: Parameters<typeof startMqttApp>) => {
  const a = await startMqttApp(...args);
  started.push(a);
  return a;
};
const json = (m: Received) => JSON.parse(m.payload) as Record<string, unknown>;

beforeAll(async () => {
  broker = await startBroker();
  sub = await subscribe(broker, ['gpio-fleet/#']);
});

afterAll(async () => {
  await Promise.all(started.map((a) => a.proc.stop()));
  await sub?.end();
  await broker?.close();
});

describe('light-sensor state', () => {
  let a: MqttApp;
  beforeAll(async () => {
    a = await run('light-sensor', 'pi-every', [...brokerArgs(broker), '--mock-lux', String(LUX), '--interval', '200ms', '--mqtt-min-delta', '0']);
    await sub.until('six readings', () => (sub.on(a.stateTopic).length >= 6 ? true : undefined));
  });

  it('is JSON {lux, level, chargeSeconds, result, timestamp}, QoS 1, not retained', () => {
    const m = sub.on(a.stateTopic).at(-1)!;
    expect(m.qos).toBe(1);
    expect(m.retain).toBe(false);
    const s = json(m);
    expect(Object.keys(s).sort()).toEqual(['chargeSeconds', 'level', 'lux', 'result', 'timestamp']);
    expect(s.result).toBe('ok');
    expect(Math.abs(Date.parse(s.timestamp as string) - m.at)).toBeLessThan(5000);
  });

  it("carries the mock's lux within 5 %, and the RC model's level and charge time", () => {
    const s = json(sub.on(a.stateTopic).at(-1)!);
    expect(Math.abs((s.lux as number) / LUX - 1)).toBeLessThan(0.05);
    expect(s.level as number).toBeCloseTo(lightLevel(chargeTime(LUX, DEFAULT_CALIBRATION), 0.01), 2);
    expect(Math.abs((s.chargeSeconds as number) / chargeTime(LUX, DEFAULT_CALIBRATION) - 1)).toBeLessThan(0.05);
  });

  it('with --mqtt-min-delta 0 sends every reading', async () => {
    const readings = async () => (await a.metric('light_sensor_readings_total', { result: 'ok' }))!;
    const r0 = await readings();
    const n0 = sub.on(a.stateTopic).length;
    await new Promise((r) => setTimeout(r, 2000));
    const sent = sub.on(a.stateTopic).length - n0;
    const taken = (await readings()) - r0;
    expect(taken).toBeGreaterThanOrEqual(5);
    expect(Math.abs(sent - taken)).toBeLessThanOrEqual(2);
  });

  it('says the reading failed, with lux and level null, when the sensor is disconnected', async () => {
    await fetch(`${a.url}/mock/fault`, { method: 'PUT', body: 'disconnected' });
    const failed = await sub.until('a timed-out reading', () => sub.on(a.stateTopic).map(json).find((s) => s.result === 'timeout'), 20_000);
    expect(failed.chargeSeconds).toBeNull();
    const nan = await sub.until('lux null once the window is mostly failures', () => sub.on(a.stateTopic).map(json).find((s) => s.lux === null), 20_000);
    expect(nan.level).toBeNull();
    await fetch(`${a.url}/mock/fault`, { method: 'PUT', body: 'none' });
  });
});

describe('light-sensor change filter and heartbeat', () => {
  let a: MqttApp;
  beforeAll(async () => {
    // The default --mqtt-min-delta (5 %); a steady light changes far less than that.
    a = await run('light-sensor', 'pi-steady', [...brokerArgs(broker), '--mock-lux', String(LUX), '--interval', '200ms', '--mqtt-heartbeat', '2s']);
    await sub.until('the first state', () => (sub.on(a.stateTopic).length >= 1 ? true : undefined));
  });

  it('sends a steady light only at the heartbeat, not with every reading', async () => {
    const r0 = (await a.metric('light_sensor_readings_total', { result: 'ok' }))!;
    const n0 = sub.on(a.stateTopic).length;
    await new Promise((r) => setTimeout(r, 5000));
    const taken = (await a.metric('light_sensor_readings_total', { result: 'ok' }))! - r0;
    const sent = sub.messages.filter((m) => m.topic === a.stateTopic).slice(n0);
    expect(taken).toBeGreaterThanOrEqual(15);
    // About one a heartbeat (2 s), whatever the 5 readings a second do.
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThan(1500);
  });

  it('sends a change beyond the delta at once', async () => {
    const n0 = sub.on(a.stateTopic).length;
    const t0 = Date.now();
    await fetch(`${a.url}/mock/lux`, { method: 'PUT', body: '2000' });
    // The median of 5 readings moves after 3 of them (0.6 s): well before the next heartbeat.
    const bright = await sub.until('a state near 2000 lx', () => sub.on(a.stateTopic).slice(n0).find((m) => Math.abs((json(m).lux as number) / 2000 - 1) < 0.05), 10_000);
    expect(bright.at - t0).toBeLessThan(1900);
  });
});

describe('traffic-light state', () => {
  const phases: Record<string, readonly string[]> = { red: ['red'], red_amber: ['red', 'amber'], green: ['green'], amber: ['amber'] };
  let a: MqttApp;
  beforeAll(async () => {
    a = await run('traffic-light', 'pi-junction', [...brokerArgs(broker), '--phases', 'red:600ms,red+amber:300ms,green:600ms,amber:300ms']);
    await sub.until('eight phases', () => (sub.on(a.stateTopic).length >= 8 ? true : undefined));
  });

  it('is JSON {phase, lamps, cycle, timestamp} on each phase change, in the configured order', () => {
    const states = sub.on(a.stateTopic).map(json);
    const order = Object.keys(phases);
    const first = order.indexOf(states[0]!.phase as string);
    states.slice(0, 8).forEach((s, i) => {
      expect(Object.keys(s).sort()).toEqual(['cycle', 'lamps', 'phase', 'timestamp']);
      expect(s.phase).toBe(order[(first + i) % 4]);
    });
  });

  it('shows each lamp as the phase lights it', () => {
    for (const s of sub.on(a.stateTopic).map(json)) {
      const lit = phases[s.phase as string]!;
      expect(s.lamps).toEqual({ red: lit.includes('red'), amber: lit.includes('amber'), green: lit.includes('green') });
    }
  });
});
