// gpio-fleet doctor against the kwok fleet, with one node missing each thing in turn: the label,
// being a Pi, an architecture the image has, the GPIO device (no plugin; every device held by
// another pod), a pod that keeps failing, and good light readings (a disconnected LDR; a pod
// that never answers). Real light-sensor processes answer the pod proxy on the healthy pods'
// IPs (src/fleet-network.ts), so "last good reading" is a real one.
import type { ChildProcess } from 'node:child_process';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNodes, GPIO_RESOURCE, registerNodes, type FakeNode } from '../src/fleet.js';
import { createFleetPodNetwork, type FleetPodNetwork } from '../src/fleet-network.js';
import { chartDir, core, freshNamespace, gpioFleet, helm, kubeconfig, lightSensorCli, podsIn, suffix, unlabelAll, waitFor } from './support/cluster.js';

interface Finding {
  check: string;
  status: string;
  detail: string;
  fix?: string;
}
interface Report {
  node: string;
  findings: Finding[];
  problems: number;
}

const PI = { arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true } as const;

/** Each case: the node, whether it is labelled, what answers on its pod IP, and the problems doctor must find. */
const CASES = [
  { key: 'ok', node: { ...PI }, label: true, sensor: 'healthy', problems: [] },
  { key: 'nolabel', node: { ...PI }, label: false, sensor: 'none', problems: ['label'] },
  { key: 'notpi', node: { ...PI, kernelVersion: '6.1.0-26-cloud-arm64', pi: false, gpio: 10 }, label: true, sensor: 'healthy', problems: ['pi'] },
  { key: 'zero', node: { ...PI, arch: 'arm', kernelVersion: '6.6.31+rpt-rpi-v6', osImage: 'Raspbian GNU/Linux 12 (bookworm)' }, label: true, sensor: 'healthy', problems: ['arch'] },
  { key: 'nogpio', node: { ...PI, gpio: 0 }, label: true, sensor: 'none', problems: ['gpio', 'pod'] },
  { key: 'full', node: { ...PI, gpio: 1 }, label: true, sensor: 'none', problems: ['gpio', 'pod'] },
  { key: 'crash', node: { ...PI }, label: true, sensor: 'healthy', problems: ['pod'] },
  { key: 'stale', node: { ...PI }, label: true, sensor: 'disconnected', problems: ['reading'] },
  { key: 'silent', node: { ...PI }, label: true, sensor: 'silent', problems: ['reading'] },
] as const;
type Key = (typeof CASES)[number]['key'];

let ns: { name: string; remove: () => Promise<void> };
let net: FleetPodNetwork;
const processes: ChildProcess[] = [];
const names = {} as Record<Key, string>;
let nodes: FakeNode[] = [];

beforeAll(async () => {
  await unlabelAll();
  const id = suffix();
  net = createFleetPodNetwork(`dr${id}`, 254, 2);
  nodes = CASES.map((c, i) => ({ ...c.node, name: `doc-${c.key}-${id}`, podCIDR: net.podCIDR(i) }));
  CASES.forEach((c, i) => (names[c.key] = nodes[i]!.name));
  for (const [i, c] of CASES.entries()) {
    const ip = net.podIP(i);
    const sensor = ['--gpio', 'mock', '--mock-lux', '100', '--host', ip, '--port', '9110', '--interval', '500ms', '--log-level', 'warn'];
    if (c.sensor === 'healthy') processes.push(net.spawn(process.execPath, [lightSensorCli, ...sensor]));
    if (c.sensor === 'disconnected') processes.push(net.spawn(process.execPath, [lightSensorCli, ...sensor, '--mock-fault', 'disconnected', '--timeout', '200ms']));
    if (c.sensor === 'silent') processes.push(net.spawn(process.execPath, ['-e', `require('node:net').createServer(() => {}).listen(9110, '${ip}')`]));
  }
  await registerNodes(kubeconfig(), nodes);
  ns = await freshNamespace('doctor');
  // Another app holds the only GPIO device of "full" before the light sensor comes.
  const holder = { metadata: { name: 'gpio-holder' }, spec: { nodeName: names.full, containers: [{ name: 'holder', image: 'registry.k8s.io/pause:3.10', resources: { limits: { [GPIO_RESOURCE]: '1' } } }] } };
  // A new namespace's default ServiceAccount, which admission wants, comes a moment later.
  await waitFor('the holder pod to be admitted', () => core().createNamespacedPod({ namespace: ns.name, body: holder }).then(() => true, () => undefined));
  await waitFor('the holder to run', async () => ((await core().readNamespacedPod({ namespace: ns.name, name: 'gpio-holder' })).status?.phase === 'Running' ? true : undefined));
  const labelled = CASES.filter((c) => c.label).map((c) => names[c.key]);
  expect((await gpioFleet(['label', ...labelled])).code).toBe(0);
  // devicePlugin access, so the pods request the GPIO device, named as the fake Pis advertise it.
  await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', `gpio.devicePlugin.resource=${GPIO_RESOURCE}`]);
  const pods = await waitFor('a light-sensor pod for every labelled node, Running where it can be', async () => {
    const all = (await podsIn(ns.name, 'app.kubernetes.io/name=light-sensor')).filter((p) => p.spec?.nodeName || p.status?.phase === 'Pending');
    const running = all.filter((p) => p.status?.phase === 'Running');
    return all.length === labelled.length && running.length === labelled.length - 2 ? all : undefined;
  }, 60_000).catch(async (e: unknown) => {
    const seen = (await podsIn(ns.name)).map((p) => `${p.metadata?.name} ${p.spec?.nodeName ?? "-"} ${p.status?.phase} ${p.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? ""}`);
    throw new Error(`${String(e)}\npods: ${seen.join('; ')}`);
  });
  // "crash": what a kubelet reports for a pod whose app exits 1 and restarts (kwok never does).
  const crash = pods.find((p) => p.spec?.nodeName === names.crash)!;
  const finishedAt = new Date(Date.now() - 30_000);
  await core().patchNamespacedPodStatus(
    {
      namespace: ns.name,
      name: crash.metadata!.name!,
      body: {
        status: {
          conditions: [
            { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: finishedAt },
            { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: finishedAt },
            { type: 'PodScheduled', status: 'True', lastTransitionTime: finishedAt },
          ],
          containerStatuses: [
            {
              name: 'light-sensor',
              image: crash.spec!.containers[0]!.image!,
              imageID: '',
              ready: false,
              started: false,
              restartCount: 3,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: new Date(finishedAt.getTime() - 500), finishedAt } },
            },
          ],
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  // The sensors have read (or failed to) by now; the light sensor reads every 500 ms.
  await new Promise((r) => setTimeout(r, 1500));
});

afterAll(async () => {
  await helm(['uninstall', 'light-sensor', '--namespace', ns.name]).catch(() => undefined);
  await ns?.remove();
  for (const p of processes) p.kill('SIGTERM');
  await deleteNodes(kubeconfig(), nodes.map((n) => n.name));
  net?.remove();
  await unlabelAll();
});

const doctor = async (args: string[]) => {
  const r = await gpioFleet(['doctor', ...args, '--namespace', ns.name, '--timeout', '2s', '--output', 'json']);
  const out = r.stdout ? (JSON.parse(r.stdout) as { nodes: Report[]; problems: number }) : undefined;
  return { ...r, out };
};
const problemChecks = (r: Report) => r.findings.filter((f) => f.status === 'problem').map((f) => f.check);

describe('gpio-fleet doctor', () => {
  it('finds nothing wrong with a healthy Pi: exit 0, a real reading seconds old', async () => {
    const r = await doctor([names.ok]);
    expect(r.code, r.stderr).toBe(0);
    const report = r.out!.nodes[0]!;
    expect(problemChecks(report)).toEqual([]);
    expect(report.findings.map((f) => `${f.check} ${f.status}`)).toEqual(['pi ok', 'label ok', 'ready ok', 'arch ok', 'gpio ok', 'pod ok', 'reading ok']);
    expect(report.findings.find((f) => f.check === 'gpio')?.detail).toMatch(new RegExp(`^${GPIO_RESOURCE}: 10 advertised, 10 allocatable, 1 in use \\(.+\\)$`));
    expect(report.findings.find((f) => f.check === 'reading')?.detail).toMatch(/^last good reading \ds ago$/);
  });

  it.each(CASES.filter((c) => c.problems.length > 0).map((c) => [c.key, c] as const))('%s: exactly its problem, each with a fix, exit 3', async (key, c) => {
    const r = await doctor([names[key]]);
    expect(r.code, r.stderr).toBe(3);
    const report = r.out!.nodes[0]!;
    expect(problemChecks(report).sort(), JSON.stringify(report.findings, null, 1)).toEqual([...c.problems].sort());
    for (const f of report.findings.filter((x) => x.status === 'problem')) expect(f.fix, `${key} ${f.check}`).toMatch(/\S/);
  });

  it('says what is wrong, and what to do, in words a user can act on', async () => {
    const fixes = async (key: Key) => (await doctor([names[key]])).out!.nodes[0]!.findings.filter((f) => f.status === 'problem');
    expect(await fixes('nolabel')).toEqual([expect.objectContaining({ check: 'label', fix: `gpio-fleet label ${names.nolabel}` })]);
    expect((await fixes('notpi'))[0]!.detail).toContain('not detected as a Raspberry Pi (kernel 6.1.0-26-cloud-arm64');
    expect((await fixes('zero'))[0]!.detail).toBe('linux/arm/v6: an ARMv6 node (Pi 1 or Zero) cannot run linux/arm/v7');
    const nogpio = await fixes('nogpio');
    expect(nogpio.find((f) => f.check === 'gpio')?.detail).toMatch(new RegExp(`^${GPIO_RESOURCE} is not advertised by the node: .+ is not running here, or does not expose the GPIO chip$`));
    expect(nogpio.find((f) => f.check === 'pod')?.detail).toContain(`is Pending: 0/`);
    expect(nogpio.find((f) => f.check === 'pod')?.detail).toContain(`Insufficient ${GPIO_RESOURCE}`);
    expect((await fixes('full')).find((f) => f.check === 'gpio')?.detail).toMatch(new RegExp(`^${GPIO_RESOURCE}: 1 allocatable, 1 in use \\(.+\\), all held by ${ns.name}/gpio-holder$`));
    const crash = (await fixes('crash'))[0]!;
    expect(crash.detail).toMatch(/is Running but not Ready \(CrashLoopBackOff\), 3 restart\(s\); last stop: Error, exit code 1, \d+s ago$/);
    expect(crash.fix).toMatch(/^kubectl logs -n \S+ light-sensor-\w+ --previous/);
    expect((await fixes('stale'))[0]!.detail).toBe('no good reading since the pod started');
    expect((await fixes('silent'))[0]!.detail).toMatch(/no answer within 2 s$/);
  });

  it('without names: every Pi and every labelled node, in pages, one report per node', async () => {
    const t0 = Date.now();
    const r = await doctor(['--page-size', '2', '--concurrency', '4']);
    expect(r.code, r.stderr).toBe(3);
    const byNode = new Map(r.out!.nodes.map((n) => [n.node, n]));
    for (const c of CASES) expect(problemChecks(byNode.get(names[c.key])!).sort(), c.key).toEqual([...c.problems].sort());
    // The fleet's own Pis are there too (unlabelled here); its control-plane node is not.
    expect(byNode.has('pi4-a')).toBe(true);
    expect(byNode.has('cp-0')).toBe(false);
    expect(r.out!.problems).toBe(r.out!.nodes.reduce((n, x) => n + x.problems, 0));
    // The silent pod costs its 2 s once, alongside the others.
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('prints a table and one fix line per problem', async () => {
    const r = await gpioFleet(['doctor', names.ok, names.nolabel, '--namespace', ns.name]);
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^NODE\s+PI\s+LABEL\s+READY\s+ARCH\s+GPIO\s+POD\s+READING$/);
    expect(r.stdout).toMatch(new RegExp(`^${names.ok}\\s+ok\\s+ok\\s+ok\\s+ok\\s+ok\\s+ok\\s+ok$`, 'm'));
    expect(r.stdout).toContain(`${names.nolabel} label: a Raspberry Pi without the label device=raspberry: the gpio-fleet apps do not run here\n  fix: gpio-fleet label ${names.nolabel}\n`);
  });

  it('exits 7 for an unknown node', async () => {
    const r = await gpioFleet(['doctor', names.ok, 'no-such-node']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('unknown node "no-such-node"');
  });
});
