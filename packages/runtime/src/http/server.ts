// The one HTTP listener a service exposes: /metrics for Prometheus, /healthz for liveness,
// /readyz for readiness, plus any routes the app adds (the status page, the mock's controls).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSource } from '../metrics/exposition.js';

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface ServiceServerOptions {
  host: string;
  port: number;
  /** What /metrics serves (an Exposition, or any prom-client Registry). */
  metrics: MetricsSource;
  /** Ready to receive traffic (e.g. after the first good reading). */
  ready: () => boolean;
  /** Extra routes by "METHOD /path". */
  routes?: Record<string, Route>;
}

export interface ServiceServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const routes: Record<string, Route> = {
    'GET /metrics': async (_req, res) => send(res, 200, await options.metrics.metrics(), options.metrics.contentType),
    'GET /healthz': (_req, res) => send(res, 200, 'ok\n'),
    'GET /readyz': (_req, res) => (options.ready() ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n')),
    ...options.routes,
  };
  const server = createServer((req, res) => {
    // The status page runs only its own files (no inline script, nothing from elsewhere), and
    // no reply is ever sniffed into another type.
    res.setHeader('content-security-policy', "default-src 'self'");
    res.setHeader('x-content-type-options', 'nosniff');
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = routes[`${method} ${path}`];
    if (!route) {
      const known = Object.keys(routes).some((k) => k.endsWith(` ${path}`));
      return send(res, known ? 405 : 404, known ? 'method not allowed\n' : 'not found\n');
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      Promise.resolve(route(req, res, body)).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, `${err instanceof Error ? err.message : String(err)}\n`);
      });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
