// gpio-fleet readings through the API server's pod proxy, against REAL light-sensor processes:
// each runs with the mock GPIO backend inside its own network namespace, on the IP kwok gives
// the light-sensor pod on a fake node (kwok allocates pod IPs from the node's podCIDR).
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPodNetwork, type PodNetwork } from '@gpio-fleet/test-tools';
import { deleteNodes, registerNodes, type FakeNode } from '../src/fleet.js';
import { chartDir, freshNamespace, gpioFleet, helm, kubeconfig, lightSensorCli, podsIn, suffix, unlabelAll, waitFor } from './support/cluster.js';

const SENSORS = [
  { lux: 50, octet: 11 },
  { lux: 800, octet: 12 },
];

let ns: { name: string; remove: () => Promise<void> };
const networks: PodNetwork[] = [];
const processes: ChildProcess[] = [];
const nodes: FakeNode[] = [];
const output: string[] = [];

beforeAll(async () => {
  await unlabelAll();
  ns = await freshNamespace('readings');
  const id = suffix();
  for (const [i, s] of SENSORS.entries()) {
    const net = createPodNetwork(`${id}${i}`, s.octet);
    networks.push(net);
    const p = net.spawn(process.execPath, [lightSensorCli, '--gpio', 'mock', '--mock-lux', String(s.lux), '--host', net.podIP, '--port', '9110', '--interval', '500ms', '--log-level', 'warn']);
    // Kept for the failure message: a sensor that did not start says why.
    p.stdout?.on('data', (d: Buffer) => (output[i] = (output[i] ?? '') + d.toString()));
    p.stderr?.on('data', (d: Buffer) => (output[i] = (output[i] ?? '') + d.toString()));
    p.on('exit', (code, signal) => (output[i] = `${output[i] ?? ''}[exited ${code ?? signal}]`));
    processes.push(p);
    nodes.push({ name: `pi-sensor-${id}-${i}`, arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, podCIDR: net.podCIDR });
  }
  await registerNodes(kubeconfig(), nodes);
  // Only these nodes get the label, so the only light-sensor pods are the ones with real processes.
  const label = await gpioFleet(['label', ...nodes.map((n) => n.name)]);
  expect(label.code, label.stderr).toBe(0);
  await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none']);
  await waitFor('the light-sensor pods on the sensor nodes, with their pod IPs', async () => {
    const pods = (await podsIn(ns.name)).filter((p) => p.status?.phase === 'Running' && p.status.podIP);
    return pods.length === nodes.length ? pods : undefined;
  }, 20_000);
});

afterAll(async () => {
  await helm(['uninstall', 'light-sensor', '--namespace', ns.name]).catch(() => undefined);
  await ns?.remove();
  for (const p of processes) p.kill('SIGTERM');
  await deleteNodes(kubeconfig(), nodes.map((n) => n.name));
  for (const n of networks) n.remove();
  await unlabelAll();
});

describe('gpio-fleet readings', () => {
  it('each pod got the IP of the namespace its real light-sensor listens in', async () => {
    const pods = await podsIn(ns.name);
    const byNode = Object.fromEntries(pods.map((p) => [p.spec!.nodeName!, p.status!.podIP!]));
    expect(byNode).toEqual(Object.fromEntries(nodes.map((n, i) => [n.name, networks[i]!.podIP])));
  });

  it('shows the latest level and lux per node, read through the pod proxy', async () => {
    // The first readings land within a second of start; wait until both report.
    let last = '';
    const rows = await waitFor('a reading from every sensor', async () => {
      const r = await gpioFleet(['readings', '--namespace', ns.name, '--output', 'json']);
      last = `exit ${r.code}\n${r.stdout}${r.stderr}`;
      if (r.code !== 0) return undefined;
      const parsed = JSON.parse(r.stdout) as { node: string; level?: number; lux?: number; error?: string }[];
      return parsed.length === nodes.length && parsed.every((x) => x.lux !== undefined && x.lux > 0) ? parsed : undefined;
    }, 30_000, 500).catch((e: unknown) => {
      throw new Error(`${String(e)}\nlast gpio-fleet readings: ${last}\nsensor output: ${JSON.stringify(output)}`);
    });
    for (const [i, n] of nodes.entries()) {
      const row = rows.find((x) => x.node === n.name)!;
      // The mock LDR and the RC timing give back the light it was set to, within the timer's noise.
      expect(row.lux!).toBeGreaterThan(SENSORS[i]!.lux * 0.8);
      expect(row.lux!).toBeLessThan(SENSORS[i]!.lux * 1.25);
      expect(row.level!).toBeGreaterThanOrEqual(0);
      expect(row.level!).toBeLessThanOrEqual(1);
    }
    expect(rows.find((x) => x.node === nodes[1]!.name)!.level!).toBeGreaterThan(rows.find((x) => x.node === nodes[0]!.name)!.level!);
    const table = await gpioFleet(['readings', '--namespace', ns.name]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NODE\s+POD\s+LEVEL\s+LUX\s+AGE/);
    for (const n of nodes) expect(table.stdout).toMatch(new RegExp(`^${n.name}\\s+${ns.name}/light-sensor-\\w+\\s+[01]\\.\\d{3}\\s+\\d+\\.\\d\\s+\\d+s$`, 'm'));
  });

  it('reports a pod whose process is gone as an error and exits 1', async () => {
    processes[0]!.kill('SIGTERM');
    await new Promise<void>((r) => processes[0]!.once('exit', () => r()));
    const r = await gpioFleet(['readings', '--namespace', ns.name, '--output', 'json']);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as { node: string; error?: string; lux?: number }[];
    expect(rows.find((x) => x.node === nodes[0]!.name)!.error).toMatch(/pod proxy/);
    expect(rows.find((x) => x.node === nodes[1]!.name)!.lux).toBeGreaterThan(0);
  });
});
