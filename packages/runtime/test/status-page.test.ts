import { describe, expect, it } from 'vitest';
import { createRegistry, pageFiles, RingBuffer, startServiceServer, StatusFeed, statusPageRoutes, type StatusPanel } from '../src/index.js';

const panel: StatusPanel = {
  assets: { 'panel.html': '<section id="mine">mine</section>', 'panel.css': '#mine { color: red; }', 'panel.js': "import './page.js';" },
  state: () => ({ count: 1 }),
};
const info = { app: 'demo-app', version: '9.9.9', node: 'pi-1', backend: 'mock', simulated: true, pins: [{ role: 'ldr', pin: 'BCM4', names: 'BOARD7 = BCM4 = WPI7' }] };

/** Real intervals, counted: the feed must hold none while nobody watches. */
function countedTimers() {
  const live = new Set<NodeJS.Timeout>();
  return {
    get count() {
      return live.size;
    },
    setInterval(fn: () => void, ms: number) {
      const h = setInterval(fn, ms);
      live.add(h);
      return h;
    },
    clearInterval(h: NodeJS.Timeout) {
      clearInterval(h);
      live.delete(h);
    },
  };
}

async function withServer<T>(feed: StatusFeed, run: (url: string) => Promise<T>): Promise<T> {
  const srv = await startServiceServer({
    host: '127.0.0.1',
    port: 0,
    metrics: createRegistry(),
    ready: () => true,
    routes: statusPageRoutes({ info, panel, feed, uptime: () => 12 }),
  });
  try {
    return await run(srv.url);
  } finally {
    await srv.close();
  }
}

/** Reads server-sent events from `url` until `count` have arrived. */
async function events(url: string, count: number, signal: AbortSignal): Promise<{ event: string; data: unknown }[]> {
  const res = await fetch(url, { signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const out: { event: string; data: unknown }[] = [];
  while (out.length < count) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) out.push({ event, data: JSON.parse(data) });
    }
  }
  return out;
}

describe('status page', () => {
  it('serves the shared page around the app panel at /, with its files under status/', async () => {
    await withServer(new StatusFeed(), async (url) => {
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<title>demo-app</title>');
      expect(html).toContain('<section id="mine">mine</section>');
      expect(html).not.toContain('<!-- panel -->');
      for (const [file, type] of [['page.css', 'text/css'], ['page.js', 'text/javascript'], ['panel.css', 'text/css'], ['panel.js', 'text/javascript'], ['icon.svg', 'image/svg+xml']]) {
        const r = await fetch(`${url}/status/${file}`);
        expect(r.status, file).toBe(200);
        expect(r.headers.get('content-type'), file).toContain(type);
      }
      expect(await (await fetch(`${url}/status/panel.css`)).text()).toBe(panel.assets['panel.css']);
      expect(await (await fetch(`${url}/status/state`)).json()).toEqual({ service: { ...info, uptimeSeconds: 12 }, app: { count: 1 } });
    });
  });

  it('uses only relative URLs, so it works under a proxy prefix', () => {
    const files = pageFiles('demo-app', panel);
    const html = files['/']!.text;
    const refs = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(4);
    for (const ref of refs) expect(ref, ref).toMatch(/^[a-z][\w./-]*$/);
    expect(files['/status/page.js']!.text).toContain("new EventSource('status/events')");
  });

  it('puts a Content-Security-Policy of default-src \'self\' and nosniff on every reply', async () => {
    await withServer(new StatusFeed(), async (url) => {
      for (const path of ['/', '/status/page.js', '/status/state', '/metrics', '/healthz', '/nope']) {
        const r = await fetch(`${url}${path}`);
        expect(r.headers.get('content-security-policy'), path).toBe("default-src 'self'");
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
        await r.arrayBuffer();
      }
    });
  });

  it('streams a snapshot, then each published update, to every open page', async () => {
    const feed = new StatusFeed();
    await withServer(feed, async (url) => {
      const stop = new AbortController();
      const a = events(`${url}/status/events`, 3, stop.signal);
      const b = events(`${url}/status/events`, 3, stop.signal);
      while (feed.viewerCount < 2) await new Promise((r) => setTimeout(r, 10));
      feed.publish(() => ({ n: 1 }));
      feed.publish(() => ({ n: 2 }));
      for (const got of await Promise.all([a, b])) {
        expect(got).toEqual([
          { event: 'snapshot', data: { service: { ...info, uptimeSeconds: 12 }, app: { count: 1 } } },
          { event: 'update', data: { n: 1 } },
          { event: 'update', data: { n: 2 } },
        ]);
      }
      stop.abort();
      while (feed.viewerCount > 0) await new Promise((r) => setTimeout(r, 10));
    });
  });

  it('does no work and holds no timer while no page is open', async () => {
    const timers = countedTimers();
    const feed = new StatusFeed(timers);
    let built = 0;
    feed.publish(() => ++built);
    expect(built).toBe(0);
    expect(timers.count).toBe(0);
    await withServer(feed, async (url) => {
      const stop = new AbortController();
      const got = events(`${url}/status/events`, 1, stop.signal);
      await got;
      // One viewer: the keep-alive timer exists, and updates are built.
      expect(timers.count).toBe(1);
      feed.publish(() => ++built);
      expect(built).toBe(1);
      stop.abort();
      while (feed.viewerCount > 0) await new Promise((r) => setTimeout(r, 10));
      expect(timers.count).toBe(0);
      feed.publish(() => ++built);
      expect(built).toBe(1);
    });
  });

  it('HEAD of the event stream answers without holding a viewer', async () => {
    const feed = new StatusFeed();
    await withServer(feed, async (url) => {
      const r = await fetch(`${url}/status/events`, { method: 'HEAD' });
      expect(r.status).toBe(200);
      expect(feed.viewerCount).toBe(0);
    });
  });
});

describe('ring buffer', () => {
  it('keeps the most recent `capacity` items, oldest first', () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    expect(r.last()).toBeUndefined();
    for (let i = 1; i <= 2; i++) r.push(i);
    expect(r.toArray()).toEqual([1, 2]);
    for (let i = 3; i <= 7; i++) r.push(i);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(r.size).toBe(3);
    expect(r.last()).toBe(7);
  });
  it('refuses a capacity that is not a positive integer, naming it', () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity 0: accepted: a positive integer/);
    expect(() => new RingBuffer(1.5)).toThrow(/capacity 1.5/);
  });
});
