// The CLI at fleet size, against the real API server: every list call comes in pages (limit and
// continue, seen in the API server's audit log), the results are the same whatever the page
// size, and readings reads pods --concurrency at a time, each within --timeout, with progress
// on a terminal only.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCommand } from '@gpio-fleet/test-tools/provision';
import { deleteNodes, fakePis, registerNodes, type FakeNode } from '../src/fleet.js';
import { createFleetPodNetwork, type FleetPodNetwork } from '../src/fleet-network.js';
import { auditEvents, peakInFlight, query, type AuditEvent } from './support/audit.js';
import { chartDir, core, freshNamespace, gpioFleet, gpioFleetCli, helm, kubeconfig, podsIn, run, suffix, unlabelAll, waitFor } from './support/cluster.js';

const PIS = 8;
const DELAY_MS = 300;
const slowMetrics = fileURLToPath(new URL('./fixtures/slow-metrics.mjs', import.meta.url));

let ns: { name: string; remove: () => Promise<void> };
let net: FleetPodNetwork;
let server: ChildProcess;
let nodes: FakeNode[];

beforeAll(async () => {
  await unlabelAll();
  const id = suffix();
  net = createFleetPodNetwork(`pg${id}`, 253, 1);
  nodes = fakePis(PIS, `pi-page-${id}`).map((n, i) => ({ ...n, podCIDR: net.podCIDR(i) }));
  // The last Pi's pod accepts connections and never answers.
  server = net.spawn(process.execPath, [slowMetrics, '9110', String(DELAY_MS), net.podIP(PIS - 1)]);
  await new Promise<void>((resolve, reject) => {
    server.stdout?.once('data', () => resolve());
    server.once('exit', (code) => reject(new Error(`slow-metrics exited ${code}`)));
  });
  await registerNodes(kubeconfig(), nodes);
  ns = await freshNamespace('pages');
  expect((await gpioFleet(['label', ...nodes.map((n) => n.name)])).code).toBe(0);
  await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none']);
  await helm(['install', 'traffic-light', chartDir('traffic-light'), '--namespace', ns.name, '--set', 'gpio.access=none']);
  await waitFor('a Running pod of each app on every Pi', async () => ((await podsIn(ns.name)).filter((p) => p.status?.phase === 'Running').length === 2 * PIS ? true : undefined), 60_000);
});

afterAll(async () => {
  await helm(['uninstall', 'light-sensor', 'traffic-light', '--namespace', ns.name]).catch(() => undefined);
  await ns?.remove();
  server?.kill('SIGTERM');
  await deleteNodes(kubeconfig(), nodes.map((n) => n.name));
  net?.remove();
  await unlabelAll();
});

/** The CLI, and the audit events of the requests it made. */
async function withRequests(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; events: AuditEvent[] }> {
  const t0 = Date.now() - 5;
  const r = await gpioFleet(args);
  // The log backend writes an event as the request completes; give the last one a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { ...r, events: auditEvents(t0, Date.now()) };
}

const lists = (events: readonly AuditEvent[], resource: string) => events.filter((e) => e.verb === 'list' && e.objectRef?.resource === resource);

/** Each list was fetched in pages of `limit`: the first without a token, the others with one. */
function expectPaged(events: readonly AuditEvent[], resource: string, limit: number, items: number): void {
  const pages = lists(events, resource);
  expect(pages.length, `${resource}: pages of ${limit} for ${items} items`).toBe(Math.max(1, Math.ceil(items / limit)));
  expect(pages.map((e) => query(e).get('limit'))).toEqual(pages.map(() => String(limit)));
  expect(pages.map((e) => query(e).has('continue'))).toEqual(pages.map((_, i) => i > 0));
}

describe('paginated lists', () => {
  it('nodes and label --auto: every node in pages of 2, the same as in one page', async () => {
    const total = (await core().listNode()).items.length;
    const small = await withRequests(['nodes', '--page-size', '2', '--output', 'json']);
    expect(small.code, small.stderr).toBe(0);
    expectPaged(small.events, 'nodes', 2, total);
    const big = await withRequests(['nodes', '--output', 'json']);
    expectPaged(big.events, 'nodes', 500, total);
    expect(JSON.parse(small.stdout)).toEqual(JSON.parse(big.stdout));
    expect((JSON.parse(small.stdout) as unknown[]).length).toBe(total);

    const auto = await withRequests(['label', '--auto', '--dry-run', '--page-size', '3', '--output', 'json']);
    expect(auto.code, auto.stderr).toBe(0);
    expectPaged(auto.events, 'nodes', 3, total);
    const planned = (JSON.parse(auto.stdout) as { changes: { node: string }[] }).changes.map((c) => c.node);
    expect(planned).toEqual(expect.arrayContaining(nodes.map((n) => n.name)));
  });

  it('status: DaemonSets and pods in pages', async () => {
    const small = await withRequests(['status', '--namespace', ns.name, '--page-size', '3', '--output', 'json']);
    expect(small.code, small.stderr).toBe(0);
    expectPaged(small.events, 'daemonsets', 3, 2);
    expectPaged(small.events, 'pods', 3, 2 * PIS);
    const big = await gpioFleet(['status', '--namespace', ns.name, '--output', 'json']);
    expect(JSON.parse(small.stdout)).toEqual(JSON.parse(big.stdout));
    expect((JSON.parse(small.stdout) as { pods: unknown[] }[]).map((a) => a.pods.length)).toEqual([PIS, PIS]);
  });
});

describe('readings at fleet size', () => {
  it(`reads --concurrency pods at a time, each within --timeout, and reports the silent one per node`, async () => {
    const t0 = Date.now();
    const r = await withRequests(['readings', '--namespace', ns.name, '--page-size', '3', '--concurrency', '2', '--timeout', '2s', '--output', 'json']);
    const wall = Date.now() - t0;
    const ips = (await podsIn(ns.name, 'app.kubernetes.io/name=light-sensor')).map((p) => `${p.spec?.nodeName} ${p.status?.podIP}`);
    expect(r.code, `${r.stdout}${r.stderr}\n${ips.join('\n')}\nsilent ${net.podIP(PIS - 1)}`).toBe(1);
    expectPaged(r.events, 'pods', 3, PIS);
    const rows = JSON.parse(r.stdout) as { node: string; lux?: number; error?: string }[];
    expect(rows.map((x) => x.node)).toEqual(nodes.map((n) => n.name));
    const silent = nodes[PIS - 1]!.name;
    expect(rows.filter((x) => x.error).map((x) => [x.node, x.error])).toEqual([[silent, expect.stringContaining('no answer within 2 s')]]);
    expect(rows.filter((x) => !x.error).every((x) => x.lux === 100)).toBe(true);
    const proxied = r.events.filter((e) => e.objectRef?.subresource === 'proxy');
    expect(proxied.length).toBe(PIS);
    expect(peakInFlight(proxied)).toBe(2);
    // 7 answers of 300 ms two at a time and one 2 s timeout alongside: far less than one after another.
    expect(wall).toBeLessThan(PIS * DELAY_MS + 2000 + 3000);
  });

  it('reads 16 at a time by default', async () => {
    const r = await withRequests(['readings', '--namespace', ns.name, '--timeout', '1s', '--output', 'json']);
    expect(r.code).toBe(1);
    expect(peakInFlight(r.events.filter((e) => e.objectRef?.subresource === 'proxy'))).toBe(PIS);
  });

  it('shows progress on a terminal, and never in piped output', async () => {
    ensureCommand('script', 'bsdutils');
    const piped = await gpioFleet(['readings', '--namespace', ns.name, '--timeout', '1s']);
    expect(piped.stderr).not.toContain('reading pods');
    // script(1) gives the CLI a terminal; what it wrote there comes back on stdout.
    const cmd = [process.execPath, gpioFleetCli, 'readings', '--namespace', ns.name, '--timeout', '1s', '--kubeconfig', kubeconfig()].map((a) => `'${a}'`).join(' ');
    const tty = await run('script', ['-qec', cmd, '/dev/null']);
    expect(tty.stdout).toContain(`reading pods ${PIS}/${PIS}`);
    expect(tty.stdout).toMatch(/NODE\s+POD\s+LEVEL\s+LUX\s+AGE/);
  });
});
