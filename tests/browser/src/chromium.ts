// Debian's Chromium, headless, driven by playwright-core pointed at the system browser:
// nothing is downloaded at run time. Each browser gets a fresh profile, and each page is
// guarded: a request to any origin but the page's own is refused and recorded, and every
// console error or uncaught exception is recorded, so a test can require none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless and quiet: without the background-networking flags Chromium keeps trying to reach
 * Google's services, which a closed network refuses again and again.
 */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] as const;

/** Installs Debian's chromium (and a font for screenshots) when missing; throws when it cannot. */
export function ensureChromium(): string {
  ensureDebianPackages(['chromium', 'fonts-dejavu-core']);
  return CHROMIUM;
}

export interface GuardedPage {
  page: Page;
  /** Console errors, uncaught exceptions and refused requests, in order. */
  problems: string[];
  /** Every request the page made, as URLs. */
  requests: string[];
  /** Bytes of every response body the page received, by URL (event streams excluded). */
  responseBytes: Map<string, number>;
  /** Requests Chromium dropped because the host's network changed (not counted as problems). */
  networkChanges: number;
}

export class Browser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  /** `acceptAnyCertificate`: for a test server whose CA Chromium does not know (the test API server's). */
  static async launch(options: { acceptAnyCertificate?: boolean } = {}): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'gpio-fleet-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: ensureChromium(),
      headless: true,
      args: [...CHROMIUM_FLAGS],
      ignoreHTTPSErrors: options.acceptAnyCertificate === true,
    });
    return new Browser(context, profile);
  }

  /**
   * Opens `url` in a new page of `width` × `height`, guarded to `url`'s origin; `before` runs
   * first (e.g. to add a route of the test's own).
   */
  async open(url: string, viewport = { width: 1280, height: 900 }, before?: (page: Page) => Promise<unknown>): Promise<GuardedPage> {
    const origin = new URL(url).origin;
    const page = await this.context.newPage();
    await page.setViewportSize(viewport);
    const guarded: GuardedPage = { page, problems: [], requests: [], responseBytes: new Map(), networkChanges: 0 };
    await page.route('**/*', async (route) => {
      const target = route.request().url();
      guarded.requests.push(target);
      if (new URL(target).origin !== origin) {
        guarded.problems.push(`request to another origin refused: ${target}`);
        await route.abort('blockedbyclient');
      } else await route.continue();
    });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chromium drops requests in flight when an interface appears or goes on the host (the
      // test suites' network namespaces do that): the host's doing, not the page's, and the
      // page's event stream reconnects by itself.
      if (m.text().includes('net::ERR_NETWORK_CHANGED')) guarded.networkChanges++;
      else guarded.problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => guarded.problems.push(`uncaught: ${e.message}`));
    await before?.(page);
    page.on('response', (r) => {
      if ((r.headers()['content-type'] ?? '').startsWith('text/event-stream')) return;
      r.body().then(
        (b) => guarded.responseBytes.set(r.url(), b.length),
        () => undefined,
      );
    });
    await page.goto(url);
    return guarded;
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
