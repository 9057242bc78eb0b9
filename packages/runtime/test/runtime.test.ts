import { describe, expect, it } from 'vitest';
import { Counter } from 'prom-client';
import { createRegistry, Exposition, jsonRoute, logBuckets, registerBackendInfo, startServiceServer } from '../src/index.js';

describe('metrics registry', () => {
  it('labels every series with the node when NODE_NAME is known', async () => {
    const r = createRegistry({ nodeName: 'pi-1' });
    new Counter({ name: 'x_total', help: 'x', registers: [r] }).inc();
    registerBackendInfo(r, 'mock', ['BCM4']);
    const text = await r.metrics();
    expect(text).toContain('x_total{node="pi-1"} 1');
    expect(text).toContain('gpio_backend_info{backend="mock",pin="BCM4",node="pi-1"} 1');
  });
  it('log buckets span 100 µs to 1 s', () => {
    const b = logBuckets(1e-4, 1, 3);
    expect(b[0]).toBe(1e-4);
    expect(b.at(-1)).toBe(1);
    expect(b).toHaveLength(13);
  });
});

describe('exposition', () => {
  it('renders our families fresh and the process families at most once per max age', async () => {
    let t = 0;
    const exp = new Exposition({ nodeName: 'pi-2', processMaxAgeMs: 1000, now: () => t });
    const c = new Counter({ name: 'ours_total', help: 'x', registers: [exp.registry] });
    const first = await exp.metrics();
    expect(first).toContain('ours_total{node="pi-2"} 0');
    expect(first).toMatch(/^process_cpu_user_seconds_total\{node="pi-2"\} /m);
    const cpuLine = (text: string) => /^process_cpu_seconds_total\S* (\S+)/m.exec(text)?.[1];
    for (let i = 0; i < 2e6; i++) Math.sqrt(i); // burn a little CPU
    c.inc();
    t = 500;
    const cached = await exp.metrics();
    expect(cached).toContain('ours_total{node="pi-2"} 1'); // ours: always fresh
    expect(cpuLine(cached)).toBe(cpuLine(first)); // process: cached
    t = 1500;
    // Past the max age the process families are collected again, so the CPU burnt above shows.
    const fresh = await exp.metrics();
    expect(Number(cpuLine(fresh))).toBeGreaterThan(Number(cpuLine(first)));
    // And cached again from then on.
    for (let i = 0; i < 2e6; i++) Math.sqrt(i);
    t = 2000;
    expect(cpuLine(await exp.metrics())).toBe(cpuLine(fresh));
  });
});

describe('service HTTP server', () => {
  it('serves /metrics, /healthz and /readyz (503 until ready), and app routes', async () => {
    const registry = createRegistry();
    let ready = false;
    const srv = await startServiceServer({
      host: '127.0.0.1',
      port: 0,
      metrics: registry,
      ready: () => ready,
      routes: { 'PUT /echo': (_q, res, body) => void res.end(body.toUpperCase()) },
    });
    try {
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${srv.url}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${srv.url}/readyz`)).status).toBe(200);
      const m = await fetch(`${srv.url}/metrics`);
      expect(m.headers.get('content-type')).toContain('text/plain');
      expect(await (await fetch(`${srv.url}/echo`, { method: 'PUT', body: 'hi' })).text()).toBe('HI');
      expect((await fetch(`${srv.url}/echo`)).status).toBe(405);
      expect((await fetch(`${srv.url}/nope`)).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});

describe('JSON routes (the mock controls)', () => {
  it('reply the handler result as JSON, and a thrown error as 400 {"error"}', async () => {
    const srv = await startServiceServer({
      host: '127.0.0.1',
      port: 0,
      metrics: createRegistry(),
      ready: () => true,
      routes: {
        'PUT /mock/level': jsonRoute((body) => {
          if (body !== 'high' && body !== 'low') throw new Error(`unknown level "${body}"; accepted: high | low`);
          return { level: body };
        }),
      },
    });
    try {
      const ok = await fetch(`${srv.url}/mock/level`, { method: 'PUT', body: 'high' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/json');
      expect(await ok.json()).toEqual({ level: 'high' });
      const bad = await fetch(`${srv.url}/mock/level`, { method: 'PUT', body: 'mid' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'unknown level "mid"; accepted: high | low' });
    } finally {
      await srv.close();
    }
  });
});
