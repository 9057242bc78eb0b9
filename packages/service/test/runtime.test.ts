import { describe, expect, it } from 'vitest';
import { Counter } from 'prom-client';
import { createLifecycle, createLogger, createRegistry, Exposition, logBuckets, registerBackendInfo, startServiceServer } from '../src/index.js';

describe('logger', () => {
  it('writes one JSON object per line, with base fields, filtered by level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', base: { app: 'x' }, write: (l) => lines.push(l), now: () => new Date(0) });
    log.debug('hidden');
    log.info('hello', { n: 1, bad: NaN, err: new Error('boom') });
    log.child({ node: 'pi1' }).warn('careful', { level: 0.5, msg: 'field' });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hello', app: 'x', n: 1, bad: 'NaN', err: { name: 'Error', message: 'boom' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', msg: 'careful', node: 'pi1', app: 'x' });
  });
});

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
    expect((await exp.metrics()).includes('process_cpu_seconds_total')).toBe(true);
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

describe('lifecycle', () => {
  it('runs cleanup last-registered-first once, then exits; a second signal does not interrupt', async () => {
    const lines: string[] = [];
    const order: string[] = [];
    let exitCode: number | undefined;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const life = createLifecycle({ logger: createLogger({ write: (l) => lines.push(l) }), exit: (c) => (exitCode = c), signals: ['SIGUSR2'] });
    life.onShutdown(() => void order.push('release pins'), 'pins');
    life.onShutdown(async () => {
      order.push('lamps off start');
      await gate;
      order.push('lamps off end');
    }, 'lamps');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(life.signal.aborted).toBe(true);
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['lamps off start']);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['lamps off start', 'lamps off end', 'release pins']);
    expect(exitCode).toBe(0);
    expect(lines.some((l) => l.includes('shutdown already in progress'))).toBe(true);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'stopped', steps: ['lamps', 'pins'], exitCode: 0 });
  });

  it('a failing cleanup step is logged and turns exit 0 into 1', async () => {
    let exitCode: number | undefined;
    const lines: string[] = [];
    const life = createLifecycle({ logger: createLogger({ write: (l) => lines.push(l) }), exit: (c) => (exitCode = c), signals: [] });
    life.onShutdown(() => {
      throw new Error('write failed');
    }, 'lamps');
    await life.shutdown('test', 0);
    expect(exitCode).toBe(1);
    expect(lines.join('')).toContain('cleanup step failed');
  });
});
