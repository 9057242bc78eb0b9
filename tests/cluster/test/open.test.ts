// gpio-fleet open against a real API server and a REAL light-sensor process (mock GPIO) in
// its own network namespace, on the IP kwok gives its pod: the printed pod proxy URL, and the
// status page through the --serve proxy and the API server's pod proxy, in a real Chromium.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '@gpio-fleet/browser-tests';
import { createPodNetwork, start, waitFor, type PodNetwork, type Started } from '@gpio-fleet/test-tools';
import { deleteNodes, registerNodes, type FakeNode } from '../src/fleet.js';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { chartDir, core, freshNamespace, gpioFleet, gpioFleetCli, helm, kubeConfig, kubeconfig, lightSensorCli, podsIn, suffix, unlabelAll } from './support/cluster.js';

const LUX = 120;

let ns: { name: string; remove: () => Promise<void> };
let net: PodNetwork;
let sensor: ChildProcess;
let sensorOutput = '';
let pod: string;
const id = suffix();
const node: FakeNode = { name: `pi-open-${id}`, arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, podCIDR: '' };
const bare: FakeNode = { name: `pi-bare-${id}`, arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true };

beforeAll(async () => {
  await unlabelAll();
  ns = await freshNamespace('open');
  net = createPodNetwork(`o${id}`, 21);
  node.podCIDR = net.podCIDR;
  sensor = net.spawn(process.execPath, [lightSensorCli, '--gpio', 'mock', '--mock-lux', String(LUX), '--host', net.podIP, '--port', '9110', '--interval', '500ms', '--log-level', 'warn']);
  sensor.stdout?.on('data', (d: Buffer) => (sensorOutput += d.toString()));
  sensor.stderr?.on('data', (d: Buffer) => (sensorOutput += d.toString()));
  await registerNodes(kubeconfig(), [node, bare]);
  const label = await gpioFleet(['label', node.name]);
  expect(label.code, label.stderr).toBe(0);
  await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--set', 'gpio.access=none']);
  pod = await waitFor('the light-sensor pod on the sensor node, with its pod IP', async () => {
    const p = (await podsIn(ns.name)).find((x) => x.spec?.nodeName === node.name && x.status?.phase === 'Running' && x.status.podIP === net.podIP);
    return p?.metadata?.name;
  }, 20_000);
});

afterAll(async () => {
  await helm(['uninstall', 'light-sensor', '--namespace', ns.name]).catch(() => undefined);
  await ns?.remove();
  sensor?.kill('SIGTERM');
  await deleteNodes(kubeconfig(), [node.name, bare.name]);
  net?.remove();
  await unlabelAll();
});

describe('gpio-fleet open', () => {
  it("prints the page's URL under the API server's pod proxy", async () => {
    const r = await gpioFleet(['open', node.name, 'light-sensor', '--namespace', ns.name]);
    expect(r.code, r.stderr).toBe(0);
    const server = (await gpioFleet(['open', node.name, '--namespace', ns.name, '--output', 'json'])).stdout;
    const target = JSON.parse(server) as { node: string; app: string; namespace: string; pod: string; url: string };
    expect(target).toMatchObject({ node: node.name, app: 'light-sensor', namespace: ns.name, pod });
    expect(r.stdout).toBe(`${target.url}\n`);
    expect(target.url).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/api/v1/namespaces/${ns.name}/pods/${pod}:9110/proxy/$`));
  });

  it('exits 7 for an unknown node or a node without the app, and 2 for a bad name', async () => {
    const unknown = await gpioFleet(['open', `pi-nowhere-${id}`]);
    expect(unknown.code).toBe(7);
    expect(unknown.stderr).toContain(`unknown node "pi-nowhere-${id}"`);
    const empty = await gpioFleet(['open', bare.name, 'light-sensor']);
    expect(empty.code).toBe(7);
    expect(empty.stderr).toContain(`no running light-sensor pod on node "${bare.name}"`);
    const bad = await gpioFleet(['open', 'Not_A_Node']);
    expect(bad.code).toBe(2);
  });

  it('the page works as printed, right under the pod proxy prefix: every URL in it is relative', async () => {
    // A browser holding nothing but a service account token that may use pods/proxy here.
    const rbac = kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await core().createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: 'page-viewer' } } });
    await rbac.createNamespacedRole({ namespace: ns.name, body: { metadata: { name: 'page-viewer' }, rules: [{ apiGroups: [''], resources: ['pods/proxy'], verbs: ['get', 'create', 'update'] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: { metadata: { name: 'page-viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'page-viewer' }, subjects: [{ kind: 'ServiceAccount', name: 'page-viewer', namespace: ns.name }] },
    });
    const token = (await core().createNamespacedServiceAccountToken({ namespace: ns.name, name: 'page-viewer', body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status!.token;
    const printed = (await gpioFleet(['open', node.name, 'light-sensor'])).stdout.trim();
    const browser = await Browser.launch({ acceptAnyCertificate: true });
    try {
      const view = await browser.open(printed, undefined, (page) => page.setExtraHTTPHeaders({ authorization: `Bearer ${token}` }));
      await view.page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: 15_000 });
      const count = async () => Number(await view.page.locator('#count-ok').textContent());
      const first = await count();
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(first + 2);
      const lux = Number((await view.page.locator('#lux').textContent())!.replaceAll(',', ''));
      expect(Math.abs(lux / LUX - 1)).toBeLessThan(0.1);
      await view.page.getByRole('button', { name: 'dim room 50', exact: true }).click();
      await expect.poll(() => view.page.locator('#mock-light').textContent(), { timeout: 10_000 }).toContain('50 lux');
      const prefix = new URL(printed).pathname;
      expect(view.requests.map((r) => new URL(r).pathname).filter((p) => !p.startsWith(prefix))).toEqual([]);
      expect(view.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('--serve: the live page through the local proxy and the pod proxy, in Chromium, then Ctrl-C', async () => {
    const serving: Started = start(process.execPath, [gpioFleetCli, 'open', node.name, 'light-sensor', '--namespace', ns.name, '--serve', '--kubeconfig', kubeconfig()], { env: { ...process.env, KUBECONFIG: '', HOME: '/nonexistent', NO_COLOR: '1' } });
    const browser = await Browser.launch();
    try {
      const local = await waitFor('the local URL on stdout', () => {
        if (serving.child.exitCode !== null) throw new Error(`gpio-fleet open --serve exited ${serving.child.exitCode}: ${serving.stderr()}`);
        return /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(serving.stdout())?.[1];
      });
      expect(serving.stderr()).toContain(`serving light-sensor on ${node.name}`);
      const state = (await (await fetch(`${local}status/state`)).json()) as { service: { app: string; simulated: boolean } };
      expect(state.service).toMatchObject({ app: 'light-sensor', simulated: true });

      const view = await browser.open(local);
      await view.page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: 15_000 });
      // The event stream comes through both proxies: the count of readings keeps rising.
      const count = async () => Number(await view.page.locator('#count-ok').textContent());
      const first = await count();
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(first + 2);
      // What the page shows is what /metrics says, both through the proxies (once the light
      // the previous test set has settled in the median).
      let seen = '';
      await waitFor('the page to show the lux /metrics reports', async () => {
        const lux = Number((await view.page.locator('#lux').textContent())!.replaceAll(',', ''));
        const reported = Number(/^light_sensor_illuminance_lux\S* (\S+)$/m.exec(await (await fetch(`${local}metrics`)).text())?.[1]);
        seen = `page ${lux} lux, /metrics ${reported} lux`;
        return Math.abs(lux / reported - 1) < 0.05 ? true : undefined;
      }, 10_000, 200).catch(() => expect.fail(seen));
      // A control's PUT goes through both proxies too.
      await view.page.getByRole('button', { name: 'office 300', exact: true }).click();
      await expect.poll(() => view.page.locator('#mock-light').textContent(), { timeout: 10_000 }).toContain('300 lux');
      const origin = new URL(local).origin;
      expect(view.requests.filter((r) => !r.startsWith(`${origin}/`))).toEqual([]);
      expect(view.problems).toEqual([]);
      await view.page.close();
    } catch (e) {
      throw new Error(`${String(e)}\ngpio-fleet open --serve stderr: ${serving.stderr()}\nsensor output: ${sensorOutput}`, { cause: e });
    } finally {
      await browser.close();
      serving.child.kill('SIGINT');
      expect(await serving.exited).toEqual({ code: 0, signal: null });
    }
  });
});
