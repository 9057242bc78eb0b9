// gpio-fleet open without a cluster: its usage errors, the pod proxy URL, and the local
// proxy's own rules (credentials from the kubeconfig, the pod's prefix only, streaming). The
// whole command against a real API server and real pods is in tests/cluster (open.test.ts).
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podProxyUrl, startLocalProxy } from '../src/kube/pod-proxy.js';
import { main } from '../src/main.js';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { HOME: mkdtempSync(join(tmpdir(), 'gf-home-')) }, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('gpio-fleet open: input', () => {
  it('is listed in --help and has its own', async () => {
    expect((await run(['--help'])).out).toMatch(/^ {2}open {7}a node's status page/m);
    const h = await run(['open', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: gpio-fleet open <node> [app]');
    expect(h.out).toContain('--serve');
  });

  it.each([
    [[], /expected <node> \[app\], got nothing/],
    [['pi-1', 'light-sensor', 'extra'], /expected <node> \[app\], got pi-1 light-sensor extra/],
    [['Pi_4!'], /"Pi_4!" is not a node name; accepted: a node name: lower-case letters/],
    [['pi-1', 'lamp'], /unknown app "lamp"; accepted: light-sensor \| traffic-light/],
    [['pi-1', '--port', '70000', '--serve'], /--port value "70000"/],
  ])('open %j exits 2 naming the value and the accepted form, before any cluster is needed', async (args, message) => {
    const r = await run(['open', ...args]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('needs a kubeconfig once the input is good (exit 4)', async () => {
    const r = await run(['open', 'pi-1', 'light-sensor']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('no kubeconfig found');
  });

  it('names the pod proxy URL of the pod, port and namespace', () => {
    expect(podProxyUrl('https://10.0.0.1:6443/', 'gpio', 'light-sensor-x7k2p', 9110)).toBe('https://10.0.0.1:6443/api/v1/namespaces/gpio/pods/light-sensor-x7k2p:9110/proxy/');
    expect(podProxyUrl('https://k8s.example/prefix', 'a', 'b', 1)).toBe('https://k8s.example/prefix/api/v1/namespaces/a/pods/b:1/proxy/');
  });
});

describe('gpio-fleet open --serve: the local proxy', () => {
  it('forwards under the pod prefix with the kubeconfig token, streams replies, and refuses paths that leave the prefix', async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    // An HTTP server in the API server's place: it records what reaches it.
    const upstream = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      if (req.url!.endsWith('/events')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'close' });
        res.write('event: snapshot\ndata: 1\n\n');
        setTimeout(() => res.end('event: update\ndata: 2\n\n'), 200);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-from': 'pod' }).end(`pod saw ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const server = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server, skipTLSVerify: true }], users: [{ name: 'u', token: 'secret-token' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const proxy = await startLocalProxy(kc, podProxyUrl(server, 'gpio', 'ls-1', 9110), { host: '127.0.0.1', port: 0 });
    try {
      expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(`${proxy.url}status/state?x=1`, { headers: { authorization: 'Basic browser', cookie: 'a=b' } });
      expect(await page.text()).toBe('pod saw GET /api/v1/namespaces/gpio/pods/ls-1:9110/proxy/status/state?x=1');
      expect(page.headers.get('x-from')).toBe('pod');
      expect(seen[0]!.headers.authorization).toBe('Bearer secret-token');
      expect(seen[0]!.headers.cookie).toBeUndefined();
      const put = await fetch(`${proxy.url}mock/lux`, { method: 'PUT', body: '1000' });
      expect(await put.text()).toBe('pod saw PUT /api/v1/namespaces/gpio/pods/ls-1:9110/proxy/mock/lux');
      // The first event arrives before the stream ends: nothing is buffered on the way.
      const events = await fetch(`${proxy.url}status/events`);
      const reader = events.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value as Uint8Array);
      expect(first).toBe('event: snapshot\ndata: 1\n\n');
      await reader.cancel();
      // Sent as is (fetch would normalise the dots away before they reach the proxy).
      const port = Number(new URL(proxy.url).port);
      for (const path of ['/../../secrets', '/%2e%2e/%2e%2e/secrets', '/status/../../../nodes']) {
        const status = await new Promise<number | undefined>((resolve, reject) => request({ host: '127.0.0.1', port, path }, (r) => resolve(r.resume().statusCode)).on('error', reject).end());
        expect(status, path).toBe(400);
      }
      expect(seen.map((s) => s.url).filter((u) => !u.startsWith('/api/v1/namespaces/gpio/pods/ls-1:9110/proxy/'))).toEqual([]);
    } finally {
      await proxy.close();
      upstream.close();
    }
  });
});
