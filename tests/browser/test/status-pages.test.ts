// Both apps' status pages in a real headless Chromium, against the built apps on the mock
// GPIO: what the page shows is what /metrics says at the same moment, the mock controls
// change the simulated world, and the page stays on its own origin with no console error,
// at a phone's 320 px and a desktop's 1280 px. Screenshots go to artifacts/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSamples, startApp, waitFor, type Started } from '@gpio-fleet/test-tools';
import { Browser, type GuardedPage } from '../src/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** What would make a browser fetch from elsewhere (the SVG namespace is a name, not a fetch). */
const EXTERNAL = /\b(?:https?|wss?|ftp):\/\/(?!www\.w3\.org\/2000\/svg\b)|(?:src|href|action)\s*=\s*["']?\/\/|url\(\s*["']?(?:[a-z]+:|\/\/)|@import|@font-face/i;
const MAX_PAGE_BYTES = 50 * 1024;

let browser: Browser;
const apps: Started[] = [];
const pages: GuardedPage[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await Browser.launch();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(apps.map((a) => a.stop()));
});

async function start(app: 'light-sensor' | 'traffic-light', args: string[]): Promise<string> {
  const { proc, url } = await startApp(app, ['--gpio', 'mock', ...args]);
  apps.push(proc);
  return `${url}/`;
}

async function open(url: string, width = 1280): Promise<GuardedPage> {
  const p = await browser.open(url, { width, height: 900 });
  pages.push(p);
  await p.page.locator('#connection', { hasText: 'live' }).waitFor();
  return p;
}

async function metrics(base: string) {
  const res = await fetch(`${base}metrics`);
  return parseSamples(await res.text());
}

const value = (samples: ReturnType<typeof parseSamples>, name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

/** Reads the page, then /metrics, then the page again; only a page unchanged around the scrape counts as "the same moment". */
async function sameMoment<T>(page: GuardedPage, read: () => Promise<T>, base: string): Promise<{ shown: T; samples: ReturnType<typeof parseSamples> }> {
  return waitFor('a page state that held while /metrics was read', async () => {
    const before = await read();
    const samples = await metrics(base);
    const after = await read();
    return JSON.stringify(before) === JSON.stringify(after) ? { shown: before, samples } : undefined;
  }, 10_000, 20);
}

const shownLux = (p: GuardedPage) => async () => Number((await p.page.locator('#lux').textContent())!.replaceAll(',', ''));

describe('light-sensor status page', () => {
  let base: string;
  let view: GuardedPage;
  beforeAll(async () => {
    base = await start('light-sensor', ['--mock-lux', '300', '--interval', '500ms', '--discharge', '50ms']);
    view = await open(base);
  });

  it('shows the lux /metrics reports (light_sensor_illuminance_lux) within 2 %', async () => {
    await view.page.locator('#count-ok', { hasText: /^[3-9]|\d\d/ }).waitFor();
    for (let i = 0; i < 3; i++) {
      const { shown, samples } = await sameMoment(view, shownLux(view), base);
      const reported = value(samples, 'light_sensor_illuminance_lux')!;
      expect(Math.abs(shown / reported - 1), `page ${shown} lux, /metrics ${reported} lux`).toBeLessThan(0.02);
    }
    // The level, the pin in every name, and the simulated backend, clearly marked.
    const { shown: level, samples } = await sameMoment(view, async () => Number(await view.page.locator('#level').textContent()), base);
    expect(level).toBeCloseTo(value(samples, 'light_sensor_level')!, 2);
    await expect.poll(() => view.page.locator('#pins').textContent(), { timeout: 5_000 }).toContain('BOARD7 = BCM4 = WPI7');
    expect(await view.page.locator('#backend').textContent()).toMatch(/^SIMULATED: mock backend/);
    expect(await view.page.locator('#version').textContent()).toBe('0.1.0');
    expect(await view.page.locator('#uptime').textContent()).toMatch(/^\d+ s$/);
    for (const link of ['metrics', 'healthz', 'readyz']) expect(await view.page.locator(`nav a[href="${link}"]`).count()).toBe(1);
  });

  it('moving the lux control changes the next readings', async () => {
    const slider = view.page.locator('#lux-control');
    const box = (await slider.boundingBox())!;
    // A click two thirds along the slider (10^-1 .. 10^5 lux): about 1000 lux.
    await slider.click({ position: { x: box.width * (4 / 6), y: box.height / 2 } });
    const chosen = Number((await view.page.locator('#lux-control-value').textContent())!.replaceAll(',', ''));
    expect(chosen).toBeGreaterThan(500);
    expect(chosen).toBeLessThan(2000);
    await waitFor('the readings to follow the control', async () => {
      const reported = value(await metrics(base), 'light_sensor_illuminance_lux')!;
      return Math.abs(reported / chosen - 1) < 0.05 ? reported : undefined;
    }, 15_000, 200);
    await expect.poll(async () => Math.abs((await shownLux(view)()) / chosen - 1), { timeout: 10_000 }).toBeLessThan(0.05);
    // A preset does the same.
    await view.page.getByRole('button', { name: 'night 1', exact: true }).click();
    await waitFor('the readings to follow the preset', async () => {
      const reported = value(await metrics(base), 'light_sensor_illuminance_lux')!;
      return Math.abs(reported - 1) < 0.1 ? reported : undefined;
    }, 15_000, 200);
  });

  it('a fault button makes the page show the fault, and "no fault" clears it', async () => {
    await view.page.getByRole('button', { name: 'disconnected', exact: true }).click();
    await expect.poll(() => view.page.locator('#mock-fault').textContent(), { timeout: 5_000 }).toBe('disconnected');
    await view.page.locator('#sensor-state', { hasText: /^FAULT: / }).waitFor({ timeout: 15_000 });
    expect(await view.page.locator('#lux').textContent()).toBe('–');
    expect(Number(await view.page.locator('#count-timeout').textContent())).toBeGreaterThan(0);
    expect(await view.page.locator('#last-failure').textContent()).toMatch(/^last failure: timeout/);
    expect(value(await metrics(base), 'light_sensor_illuminance_lux')).toBeNaN();
    await view.page.getByRole('button', { name: 'no fault', exact: true }).click();
    await view.page.locator('#sensor-state', { hasText: /^OK: / }).waitFor({ timeout: 15_000 });
  });
});

describe('traffic-light status page', () => {
  const PHASES = 'red:1500ms,red+amber:1s,green:1500ms,amber:1s';
  let base: string;
  let view: GuardedPage;
  beforeAll(async () => {
    base = await start('traffic-light', ['--phases', PHASES]);
    view = await open(base);
  });

  /** The lamps as drawn (lit class) and as words, which must agree. */
  const lamps = async () => {
    const drawn = await view.page.evaluate(() => ['red', 'amber', 'green'].filter((l) => document.getElementById(`lamp-${l}`)!.classList.contains('on')));
    const words = await view.page.evaluate(() => ['red', 'amber', 'green'].filter((l) => document.getElementById(`state-${l}`)!.textContent === 'ON'));
    const phase = await view.page.locator('#phase').textContent();
    return { drawn, words, phase };
  };

  it('lights exactly the lamps traffic_light_lamp_on reports, at every moment of a full cycle', async () => {
    const seen = new Set<string>();
    let compared = 0;
    const until = Date.now() + 20_000;
    while ((seen.size < 4 || compared < 20) && Date.now() < until) {
      const { shown, samples } = await sameMoment(view, lamps, base);
      const reported = ['red', 'amber', 'green'].filter((l) => value(samples, 'traffic_light_lamp_on', { lamp: l }) === 1);
      expect(shown.drawn, `phase ${shown.phase}`).toEqual(reported);
      expect(shown.words).toEqual(shown.drawn);
      seen.add(shown.phase!);
      compared++;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect([...seen].sort()).toEqual(['amber', 'green', 'red', 'red + amber']);
  });

  it('shows the phase with its remaining time, and recent phases with their lateness', async () => {
    const remaining = Number((await view.page.locator('#remaining').textContent())!.replace(' s', ''));
    expect(remaining).toBeGreaterThanOrEqual(0);
    expect(remaining).toBeLessThanOrEqual(1.5);
    await expect.poll(() => view.page.locator('#recent li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(await view.page.locator('#recent li').first().textContent()).toMatch(/^(red|red \+ amber|green|amber): \d+(\.\d)? (µs|ms) late$/);
    expect(await view.page.locator('#pins').textContent()).toContain('BOARD21 = BCM9 = WPI13');
  });
});

describe('both pages', () => {
  const weights: string[] = [];
  afterAll(() => process.stderr.write(`[browser-tests] page weights: ${weights.join(', ')}\n`));

  it('render at 320 px and 1280 px with nothing wider than the screen; screenshots in artifacts/', async () => {
    for (const [app, url] of [['light-sensor', pages[0]!.page.url()], ['traffic-light', pages[1]!.page.url()]] as const) {
      for (const width of [320, 1280]) {
        const p = await open(url, width);
        // The chart and the strip fill in with the next update.
        await p.page.waitForTimeout(1200);
        const layout = await p.page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: innerWidth,
          overflowing: [...document.querySelectorAll('main *')].filter((e) => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5);
          }).length,
        }));
        expect(layout, `${app} at ${width} px`).toEqual({ scroll: width, inner: width, overflowing: 0 });
        const main = app === 'light-sensor' ? ['#lux', '#chart', '#count-ok', '#lux-control'] : ['#lamp-red', '#lamp-green', '#phase', '#recent'];
        for (const sel of main) expect(await p.page.locator(sel).isVisible(), `${sel} at ${width} px`).toBe(true);
        await p.page.screenshot({ path: join(ARTIFACTS, `${app}-${width}.png`), fullPage: true });
        await p.page.close();
      }
    }
  });

  it('weigh at most 50 KB, carry the security headers, and load nothing from elsewhere', async () => {
    for (const url of [pages[0]!.page.url(), pages[1]!.page.url()]) {
      const p = await open(url);
      const doc = await p.page.request.get(url);
      expect(doc.headers()['content-security-policy']).toBe("default-src 'self'");
      expect(doc.headers()['x-content-type-options']).toBe('nosniff');
      await p.page.waitForTimeout(500);
      // What the browser loaded (the document, two style sheets, two scripts), plus the icon
      // a browser with tabs also asks for.
      const loaded = [...p.responseBytes.keys()].map((u) => new URL(u).pathname).sort();
      expect(loaded).toEqual(['/', '/status/page.css', '/status/page.js', '/status/panel.css', '/status/panel.js']);
      const icon = (await (await fetch(`${url}status/icon.svg`)).arrayBuffer()).byteLength;
      const bytes = [...p.responseBytes.values()].reduce((a, b) => a + b, icon);
      weights.push(`${await p.page.title()} ${bytes} bytes`);
      expect(bytes, `${url}: ${JSON.stringify([...p.responseBytes])} + icon ${icon}`).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      const origin = new URL(url).origin;
      expect(p.requests.filter((r) => !r.startsWith(`${origin}/`))).toEqual([]);
      // Offline by construction: no file of the page names anything elsewhere.
      for (const file of [...loaded, '/status/icon.svg']) {
        const text = await (await fetch(new URL(file, url))).text();
        expect(EXTERNAL.exec(text)?.[0], file).toBeUndefined();
      }
      await p.page.close();
    }
  });

  it('the offline check finds each kind of reference to elsewhere', () => {
    for (const bad of ['<script src="https://cdn.example/x.js">', '<link href="//fonts.example/css">', 'body { background: url(http://x/y.png) }', "@import 'x.css';", '@font-face { }']) expect(EXTERNAL.test(bad), bad).toBe(true);
    expect(EXTERNAL.test("document.createElementNS('http://www.w3.org/2000/svg', 'path')")).toBe(false);
  });

  it('a request to another origin is caught: a fetch by the page\'s own policy, a navigation by the guard', async () => {
    const p = await browser.open(pages[0]!.page.url());
    await p.page.evaluate(() => fetch('http://192.0.2.1/').catch(() => undefined));
    await expect.poll(() => p.problems.join('\n'), { timeout: 5_000 }).toMatch(/Content Security Policy/);
    // The policy does not govern leaving the page; the guard sees that too.
    await p.page.evaluate(() => (location.href = 'http://192.0.2.1/')).catch(() => undefined);
    await expect.poll(() => p.problems.join('\n'), { timeout: 5_000 }).toContain('request to another origin refused: http://192.0.2.1/');
    await p.page.close();
  });

  it('on a real backend the page is read-only: no mock controls', async () => {
    // The same page, told by its event stream that the backend is real GPIO.
    const url = pages[0]!.page.url();
    const state = (await (await fetch(`${url}status/state`)).json()) as { service: Record<string, unknown>; app: Record<string, unknown> };
    const real = { service: { ...state.service, backend: 'gpiochip', simulated: false }, app: { ...state.app, mock: undefined } };
    const p = await browser.open(url, undefined, (page) =>
      page.route(`${url}status/events`, (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: snapshot\ndata: ${JSON.stringify(real)}\n\n` })),
    );
    await p.page.locator('#backend', { hasText: 'gpiochip: real GPIO' }).waitFor();
    expect(await p.page.locator('.mock-only').isHidden()).toBe(true);
    expect(await p.page.locator('#lux-control').isVisible()).toBe(false);
    await p.page.close();
  });

  it('showed no console error and made no request to another origin, in any page', () => {
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const p of pages) expect(p.problems).toEqual([]);
  });
});
