// Every gpio-fleet command against the real API server: output, idempotence, exit codes for
// unknown nodes, incomplete rollouts and RBAC refusals, with the least-privilege roles from
// deploy/rbac.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNodes, FLEET, registerNodes } from '../src/fleet.js';
import { ALL_NODES, applyYamlFile, chartDir, core, freshNamespace, gpioFleet, helm, kubeconfig, kubeconfigForServiceAccount, kubeconfigForUser, PI_NODES, repoRoot, suffix, unlabelAll, waitFor } from './support/cluster.js';

beforeAll(() => unlabelAll());
afterAll(() => unlabelAll());

const labelsOf = async () => Object.fromEntries((await core().listNode()).items.map((n) => [n.metadata!.name!, n.metadata?.labels?.device]));

describe('gpio-fleet nodes', () => {
  it('shows the fake fleet with the Pis detected', async () => {
    const r = await gpioFleet(['nodes']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ARCH\s+PI\s+READY\s+DEVICE\s+APPS\s+KERNEL\s+OS-IMAGE$/);
    for (const n of FLEET) {
      const line = lines.find((l) => l.startsWith(`${n.name} `));
      expect(line, n.name).toMatch(new RegExp(`^${n.name}\\s+${n.arch}\\s+${n.pi ? 'yes' : 'no'}\\s+Ready\\s+-\\s+-\\s+${n.kernelVersion.replace(/[+.]/g, '\\$&')}\\s+${n.osImage.replace(/[()]/g, '\\$&')}$`));
    }
    const json = JSON.parse((await gpioFleet(['nodes', '--output', 'json'])).stdout) as { name: string; pi: boolean }[];
    expect(json.filter((n) => n.pi).map((n) => n.name)).toEqual(PI_NODES);
    expect(json.map((n) => n.name)).toEqual(ALL_NODES);
  });
});

describe('gpio-fleet label', () => {
  it('--auto --dry-run lists exactly the Pis and changes nothing', async () => {
    const before = await labelsOf();
    const r = await gpioFleet(['label', '--auto', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(PI_NODES.map((n) => `node/${n} labelled device=raspberry (dry run)`));
    expect(await labelsOf()).toEqual(before);
  });

  it('labels named nodes with a custom key and value, relabels, removes, and is idempotent', async () => {
    const [a, b] = PI_NODES;
    expect((await gpioFleet(['label', a!, b!, '--key', 'gpio-fleet.example/role', '--value', 'sensor'])).stdout.trim().split('\n')).toEqual([`node/${a} labelled gpio-fleet.example/role=sensor`, `node/${b} labelled gpio-fleet.example/role=sensor`]);
    expect((await gpioFleet(['label', a!, '--key', 'gpio-fleet.example/role', '--value', 'sensor'])).stdout.trim()).toBe(`node/${a} unchanged (gpio-fleet.example/role=sensor)`);
    expect((await gpioFleet(['label', a!, '--key', 'gpio-fleet.example/role', '--value', 'lights'])).stdout.trim()).toBe(`node/${a} relabelled gpio-fleet.example/role=sensor -> gpio-fleet.example/role=lights`);
    const rm = await gpioFleet(['label', a!, b!, '--key', 'gpio-fleet.example/role', '--remove', '--output', 'json']);
    expect((JSON.parse(rm.stdout) as { changes: { action: string }[] }).changes.map((c) => c.action)).toEqual(['remove', 'remove']);
    const nodes = (await core().listNode({ labelSelector: 'gpio-fleet.example/role' })).items;
    expect(nodes).toEqual([]);
  });

  it('exits 7 on an unknown node and changes none of the others', async () => {
    const before = await labelsOf();
    const r = await gpioFleet(['label', PI_NODES[0]!, 'no-such-node']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('unknown node "no-such-node"');
    expect(await labelsOf()).toEqual(before);
  });
});

describe('gpio-fleet status', () => {
  let ns: { name: string; remove: () => Promise<void> };
  const node = `pi-nodev-${suffix()}`;
  afterAll(async () => {
    await helm(['uninstall', 'light-sensor', '--namespace', ns.name]).catch(() => undefined);
    await ns.remove();
    await deleteNodes(kubeconfig(), [node]);
  });

  it('exits 3 while a pod cannot start, naming the node and the phase', async () => {
    ns = await freshNamespace('status');
    // A Pi whose device plugin is not running: no gpio-fleet.io/gpiochip to give, so the
    // default (devicePlugin) pod stays Pending there.
    await registerNodes(kubeconfig(), [{ name: node, arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: false }]);
    expect((await gpioFleet(['label', node])).code).toBe(0);
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name]);
    const r = await waitFor('a scheduled, pending pod', async () => {
      const s = await gpioFleet(['status', '--namespace', ns.name]);
      return s.stdout.includes('Pending') ? s : undefined;
    }, 20_000);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/light-sensor\s+1\s+1\s+0\s+1\s+0\s+in progress\s+ghcr\.io\/gpio-fleet\/light-sensor:/);
    expect(r.stdout).toMatch(new RegExp(`^${node}\\s+light-sensor-\\w+\\s+Pending\\s+no\\s+0\\s+yes\\s+Unschedulable$`, 'm'));
    expect((await gpioFleet(['status', 'no-such-app', '--namespace', ns.name])).code).toBe(7);
  });
});

describe('RBAC', () => {
  beforeAll(async () => {
    const dir = join(repoRoot, 'deploy', 'rbac');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) await applyYamlFile(join(dir, f));
  });

  it('a user with no role gets exit 6 and a message naming what was refused', async () => {
    const kc = kubeconfigForUser(`nobody-${suffix()}`);
    const r = await gpioFleet(['nodes'], kc);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/forbidden: cannot list nodes: nodes is forbidden: User "nobody-\w+" cannot list resource "nodes"/);
  });

  it('the viewer role runs nodes and status but cannot label', async () => {
    const kc = await kubeconfigForServiceAccount('gpio-fleet', 'gpio-fleet-viewer');
    expect((await gpioFleet(['nodes'], kc)).code).toBe(0);
    expect((await gpioFleet(['status'], kc)).code).not.toBe(6);
    const label = await gpioFleet(['label', PI_NODES[0]!], kc);
    expect(label.code).toBe(6);
    expect(label.stderr).toMatch(/cannot patch resource "nodes"/);
  });

  it('the labeller role labels nodes, and may change nothing but the device label', async () => {
    const kc = await kubeconfigForServiceAccount('gpio-fleet', 'gpio-fleet-labeller');
    const r = await gpioFleet(['label', PI_NODES[0]!], kc);
    expect(r.code, r.stderr).toBe(0);
    expect((await core().readNode({ name: PI_NODES[0]! })).metadata?.labels?.device).toBe('raspberry');
    const other = await gpioFleet(['label', PI_NODES[0]!, '--key', 'other'], kc);
    expect(other.code).toBe(6);
    expect(other.stderr).toContain('may only change the "device" label');
    expect((await gpioFleet(['nodes'], kc)).code).toBe(6);
  });

  it('the readings role may list pods and use the pod proxy, and nothing else', async () => {
    const kc = await kubeconfigForServiceAccount('gpio-fleet', 'gpio-fleet-readings');
    const r = await gpioFleet(['readings'], kc);
    expect(r.code, r.stderr).toBe(0);
    expect((await gpioFleet(['nodes'], kc)).code).toBe(6);
    expect((await gpioFleet(['label', PI_NODES[0]!], kc)).code).toBe(6);
  });
});
