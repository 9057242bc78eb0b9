// Plays kube-proxy for the one Service pods need: the API server's "kubernetes" Service, whose
// address every pod gets as KUBERNETES_SERVICE_HOST/PORT. The test API server listens on
// 127.0.0.1 only, which a pod's network namespace cannot reach, so this forwards TCP from the
// Service IP (an address on the pod bridge, pod-network.ts) to it. No iptables rule, no
// route_localnet: it goes away with the bridge and this process.
//
// Run as its own process (`node service-proxy.js <listen ip>:<port> <target port>`), so it
// outlives `npm run cluster:up`; the node records its pid like every other part.
import { connect, createServer, type Server } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface Endpoint {
  host: string;
  port: number;
}

/** Forwards every connection on `listen` to `target`; resolves once listening. */
export function startServiceProxy(listen: Endpoint, target: Endpoint): Promise<Server> {
  // Half-open on both sides: a client that has sent all it will (FIN) still gets the reply;
  // pipe() passes each end on, and a side is destroyed once the other has closed completely.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: target.port, host: target.host, allowHalfOpen: true });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}

/** "10.96.0.1:443" → { host, port }; throws naming the accepted form. */
export function parseEndpoint(text: string): Endpoint {
  const m = /^([\d.]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new Error(`"${text}" is not an endpoint; accepted: <IPv4 address>:<port 1-65535>`);
  return { host: m[1]!, port };
}

async function main(argv: readonly string[]): Promise<void> {
  const [listen, target] = argv;
  if (!listen || !target) throw new Error('usage: service-proxy <listen ip>:<port> <target port on 127.0.0.1>');
  const to = parseEndpoint(`127.0.0.1:${target}`);
  const from = parseEndpoint(listen);
  await startServiceProxy(from, to);
  process.stderr.write(`service-proxy ${listen} -> 127.0.0.1:${to.port}\n`);
  // Open connections need not drain: the node is going away.
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`service-proxy: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
