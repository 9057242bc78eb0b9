// The status page at `/`: the shared page (header, footer, live connection, links) around the
// app's panel, its files under status/, the state as JSON and as a live event stream. Every
// URL the page uses is relative, so it works just as well under the API server's pod proxy
// (…/pods/<pod>:<port>/proxy/) as on the device.
import type { ServerResponse } from 'node:http';
import { replyJson } from '../http/json-route.js';
import type { Route } from '../http/server.js';
import { assets as shared } from './assets.generated.js';
import type { StatusPanel } from './panel.js';
import type { StatusFeed } from './status-feed.js';

/** What the shared part of the page shows about the service. */
export interface ServiceInfo {
  app: string;
  version: string;
  node: string | undefined;
  backend: string;
  simulated: boolean;
  /** Each pin the app claims, with every one of its names (e.g. BOARD7 = BCM4 = WPI7). */
  pins: { role: string; pin: string; names: string }[];
}

export interface StatusPageOptions {
  info: ServiceInfo;
  panel: StatusPanel;
  feed: StatusFeed;
  /** Seconds since the service started. */
  uptime: () => number;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function asset(text: string, type: string): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(text);
  };
}

/** The page and its files, with their sizes: what a browser loads before the first event. */
export function pageFiles(app: string, panel: StatusPanel): Record<string, { text: string; type: string }> {
  const html = shared['page.html'].replaceAll('{{app}}', escapeHtml(app)).replace('<!-- panel -->', panel.assets['panel.html'].trim());
  const files: Record<string, { text: string; type: string }> = { '/': { text: html, type: TYPES.html! } };
  const served = { 'page.css': shared['page.css'], 'page.js': shared['page.js'], 'icon.svg': shared['icon.svg'], ...panel.assets };
  for (const [name, text] of Object.entries(served)) {
    if (name.endsWith('.html')) continue;
    files[`/status/${name}`] = { text, type: TYPES[name.split('.').pop()!]! };
  }
  return files;
}

export function statusPageRoutes(options: StatusPageOptions): Record<string, Route> {
  const { info, panel, feed } = options;
  const snapshot = () => ({ service: { ...info, uptimeSeconds: options.uptime() }, app: panel.state() });
  const routes: Record<string, Route> = {
    'GET /status/state': (_req, res) => replyJson(res, 200, snapshot()),
    'GET /status/events': (req, res: ServerResponse) => {
      // HEAD asks whether the stream exists; it must not hold a viewer's place.
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end();
      feed.open(res, snapshot());
    },
  };
  for (const [path, file] of Object.entries(pageFiles(info.app, panel))) routes[`GET ${path}`] = asset(file.text, file.type);
  return routes;
}
