// A pod's HTTP server through the API server's pod proxy (pods/<pod>:<port>/proxy/), and a
// local HTTP proxy in front of it that adds the kubeconfig's credentials, so a browser on
// this machine can open a Pi's status page with nothing but RBAC on pods/proxy.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';

/** `<server>/api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/`: the pod's `/` under the API server. */
export function podProxyUrl(server: string, namespace: string, pod: string, port: number): string {
  const base = server.replace(/\/+$/, '');
  return `${base}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy/`;
}

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, and the browser's own
// credentials or cookies are not the API server's business.
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'cookie']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !DROPPED.has(k)) out[k] = v;
  return out;
}

export interface LocalProxy {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `target` (a pod proxy URL ending in /proxy/) on http://<host>:<port>/. Every request
 * is sent on with the kubeconfig's credentials, fetched afresh each time (tokens expire);
 * replies stream back as they come, so the page's event stream stays live. A path that would
 * leave the pod's proxy prefix (`..`) is refused.
 */
export async function startLocalProxy(kc: KubeConfig, target: string, listen: { host: string; port: number }): Promise<LocalProxy> {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/$/, '');
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const upstream = new URL(`${prefix}${req.url ?? '/'}`, base);
    if (!upstream.pathname.startsWith(`${prefix}/`)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`refused: ${req.url} leaves ${prefix}/\n`);
      return;
    }
    const options: RequestOptions = { method: req.method, headers: forwardable(req.headers) };
    await kc.applyToHTTPSOptions(options);
    const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const out = send(upstream, options, (reply) => {
      const headers = forwardable(reply.headers);
      res.writeHead(reply.statusCode ?? 502, headers);
      reply.pipe(res);
    });
    out.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`cannot reach ${upstream.origin}: ${e.message}\n`);
      else res.destroy();
    });
    // A closed page ends its event stream upstream too.
    res.on('close', () => out.destroy());
    req.pipe(out);
  };
  const server = createServer((req, res) => {
    forward(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
