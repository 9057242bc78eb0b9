// The broker away: at start, mid-run, and for a while. GPIO work and /metrics go on, the
// queue stays bounded (the oldest dropped and counted), and publishing resumes by itself.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpText, waitFor } from '@gpio-fleet/test-tools';
import { brokerArgs, startMqttApp, type MqttApp } from './support/apps.js';
import { startBroker, type Broker } from './support/broker.js';
import { retained, subscribe } from './support/subscriber.js';

const QUEUE = 5;

let broker: Broker;
const started: MqttApp[] = [];

beforeAll(async () => {
  broker = await startBroker();
});

afterAll(async () => {
  await Promise.all(started.map((a) => a.proc.stop()));
  await broker?.close();
});

/** Resident memory of a process, from the kernel. */
const rssKiB = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a broker that is down at start, and for a while', () => {
  let a: MqttApp;
  const samples: { rss: number; queued: number; dropped: number; readings: number }[] = [];

  beforeAll(async () => {
    await broker.stop();
    a = await startMqttApp('light-sensor', 'pi-outage', [...brokerArgs(broker), '--interval', '100ms', '--discharge', '20ms', '--mqtt-min-delta', '0', '--mqtt-queue-size', String(QUEUE)]);
    started.push(a);
    // Ten readings a second against a queue of five: it is full within a second.
    await sleep(2000);
    for (let i = 0; i < 8; i++) {
      samples.push({
        rss: rssKiB(a.proc.child.pid!),
        queued: (await a.metric('mqtt_queue_messages'))!,
        dropped: (await a.metric('mqtt_messages_dropped_total'))!,
        readings: (await a.metric('light_sensor_readings_total', { result: 'ok' }))!,
      });
      await sleep(1000);
    }
  });

  it('leaves the GPIO work and /metrics alone: ready, reading, and saying it is not connected', async () => {
    expect(a.proc.child.exitCode).toBeNull();
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
    expect(samples.at(-1)!.readings - samples[0]!.readings).toBeGreaterThanOrEqual(50);
    expect(await a.metric('mqtt_connected')).toBe(0);
  });

  it('keeps at most --mqtt-queue-size messages and counts every one it drops', () => {
    for (const s of samples) expect(s.queued).toBeLessThanOrEqual(QUEUE);
    expect(samples.at(-1)!.queued).toBe(QUEUE);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.dropped).toBeGreaterThan(samples[i - 1]!.dropped);
    // Every reading beyond the queue's room was dropped, none lost uncounted.
    const last = samples.at(-1)!;
    expect(last.dropped + last.queued).toBeGreaterThanOrEqual(last.readings - 2);
  });

  it("keeps the process's memory flat while messages pile up and drop", () => {
    // A generous bound: the queue is what is asserted above; this catches anything else growing.
    const growthMiB = (Math.max(...samples.map((s) => s.rss)) - samples[0]!.rss) / 1024;
    expect(growthMiB).toBeLessThan(24);
  });

  it('connects once the broker is back, sends what it kept, and announces itself', async () => {
    await broker.start();
    const sub = await subscribe(broker, ['gpio-fleet/#']);
    try {
      await waitFor('mqtt_connected 1', async () => ((await a.metric('mqtt_connected')) === 1 ? true : undefined), 45_000, 250);
      await sub.until('state after the outage', () => (sub.on(a.stateTopic).length >= 1 ? true : undefined));
      // Counted when the broker acknowledges (QoS 1), which can come after a subscriber has the
      // message: wait for the count rather than read it once.
      await waitFor(`the ${QUEUE} kept messages acknowledged`, async () => (((await a.metric('mqtt_messages_published_total')) ?? 0) >= QUEUE ? true : undefined), 15_000, 100);
      expect((await retained(broker, a.statusTopic)).map((m) => m.payload)).toEqual(['online']);
    } finally {
      await sub.end();
    }
  });
});

describe('a broker restart mid-run', () => {
  it('resumes publishing from both apps, with availability and discovery sent again, and nothing crashes', async () => {
    const light = await startMqttApp('light-sensor', 'pi-restart', [...brokerArgs(broker), '--interval', '200ms', '--mqtt-min-delta', '0']);
    const traffic = await startMqttApp('traffic-light', 'pi-restart', [...brokerArgs(broker), '--phases', 'red:300ms,green:300ms']);
    started.push(light, traffic);
    for (const x of [light, traffic]) await waitFor('connected', async () => ((await x.metric('mqtt_connected')) === 1 ? true : undefined), 20_000, 200);

    await broker.stop();
    for (const x of [light, traffic]) await waitFor('disconnected', async () => ((await x.metric('mqtt_connected')) === 0 ? true : undefined), 20_000, 200);
    const cycles = (await traffic.metric('traffic_light_cycles_total'))!;
    await sleep(1500);
    // The sequence keeps its time while the broker is gone.
    expect((await traffic.metric('traffic_light_cycles_total'))!).toBeGreaterThan(cycles);
    await broker.start();

    const sub = await subscribe(broker, ['gpio-fleet/#', 'homeassistant/#']);
    try {
      for (const x of [light, traffic]) {
        await sub.until(`${x.stateTopic} after the restart`, () => (sub.on(x.stateTopic).length >= 2 ? true : undefined), 45_000);
        expect(x.proc.child.exitCode).toBeNull();
        expect(await httpText(`${x.url}/healthz`)).toBeDefined();
      }
      // The broker kept nothing (no persistence): what is retained now was sent again on reconnect.
      expect((await retained(broker, light.statusTopic)).map((m) => m.payload)).toEqual(['online']);
      expect((await retained(broker, traffic.statusTopic)).map((m) => m.payload)).toEqual(['online']);
      expect((await retained(broker, 'homeassistant/+/pi-restart/+/config')).length).toBe(2 + 4);
    } finally {
      await sub.end();
    }
  });
});
