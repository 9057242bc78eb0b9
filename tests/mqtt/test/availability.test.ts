// Availability on <prefix>/<node>/<app>/status: online while the app runs, offline from the
// app on a clean stop (a DISCONNECT, so no last will), offline from the broker's last will
// when the app dies, and a stop that a hung broker cannot hold up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRecords } from '@gpio-fleet/test-tools';
import { brokerArgs, startMqttApp } from './support/apps.js';
import { startBroker, type Broker } from './support/broker.js';
import { retained, subscribe, type Subscriber } from './support/subscriber.js';

let broker: Broker;
let sub: Subscriber;

beforeAll(async () => {
  broker = await startBroker();
  sub = await subscribe(broker, ['gpio-fleet/#']);
});

afterAll(async () => {
  await sub?.end();
  await broker?.close();
});

const statusOf = async (topic: string) => (await retained(broker, topic)).map((m) => m.payload);

describe.each(['light-sensor', 'traffic-light'] as const)('%s availability', (app) => {
  it('is online (retained) while running; the last will says offline after SIGKILL', async () => {
    const node = `pi-kill-${app}`;
    const a = await startMqttApp(app, node, brokerArgs(broker));
    await sub.until('online', () => (sub.on(a.statusTopic).some((m) => m.payload === 'online') ? true : undefined));
    expect(await statusOf(a.statusTopic)).toEqual(['online']);
    a.proc.child.kill('SIGKILL');
    await a.proc.exited;
    await sub.until('offline from the last will', () => (sub.on(a.statusTopic).at(-1)?.payload === 'offline' ? true : undefined));
    expect(await statusOf(a.statusTopic)).toEqual(['offline']);
    // The broker saw the connection drop without a DISCONNECT: that is what fires a will.
    expect(broker.process().stderr()).toMatch(new RegExp(`Client ${node}-${app} closed its connection`));
  });

  it('publishes offline itself on SIGTERM, then disconnects cleanly before releasing GPIO', async () => {
    const node = `pi-term-${app}`;
    const a = await startMqttApp(app, node, brokerArgs(broker));
    await sub.until('online', () => (sub.on(a.statusTopic).some((m) => m.payload === 'online') ? true : undefined));
    const { code } = await a.proc.stop();
    expect(code).toBe(0);
    const stopped = logRecords(a.proc).find((r) => r.msg === 'stopped')!;
    const steps = stopped.steps as string[];
    expect(steps).toContain('disconnect MQTT');
    expect(steps.indexOf('disconnect MQTT')).toBeLessThan(steps.indexOf('release GPIO'));
    expect(await statusOf(a.statusTopic)).toEqual(['offline']);
    await new Promise((r) => setTimeout(r, 200));
    expect(broker.process().stderr()).toMatch(new RegExp(`Client ${node}-${app} disconnected\\.`));
    expect(broker.process().stderr()).not.toMatch(new RegExp(`Client ${node}-${app} closed its connection`));
  });
});

describe('a hung broker at stop', () => {
  it('does not hold up the shutdown: offline is given up on, GPIO is released, exit 0', async () => {
    const a = await startMqttApp('traffic-light', 'pi-hung', brokerArgs(broker));
    await sub.until('online', () => (sub.on(a.statusTopic).some((m) => m.payload === 'online') ? true : undefined));
    const pid = broker.process().child.pid!;
    // Stopped, the broker keeps its sockets open but answers nothing: no PUBACK, no close.
    process.kill(pid, 'SIGSTOP');
    try {
      const { code } = await a.proc.stop(20_000);
      expect(code).toBe(0);
      const records = logRecords(a.proc);
      expect(records.find((r) => r.msg === 'stopped')!.steps).toEqual(expect.arrayContaining(['disconnect MQTT', 'release GPIO']));
      expect(records.some((r) => r.msg === 'MQTT broker too slow on stop; disconnecting without waiting')).toBe(true);
      expect(records.some((r) => r.msg === 'cleanup did not finish in time; stopping anyway')).toBe(false);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});
