// The plugin against a kubelet on real gRPC (fake-kubelet.ts: @grpc/grpc-js on both sides, on
// unix sockets in a temporary kubelet directory), with a sysfs-shaped tree standing for the
// machine: registration, the ListAndWatch stream as the chip goes and comes back, Allocate,
// registering again when the kubelet restarts, backoff while it is missing, and stopping.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@gpio-fleet/cli-kit';
import { waitFor, writeFakeGpioTree } from '@gpio-fleet/test-tools';
import { createPluginMetrics } from '../src/metrics.js';
import { GpioDevicePlugin, type DevicePluginSettings } from '../src/plugin/device-plugin.js';
import { FakeKubelet } from './support/fake-kubelet.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Short unix socket paths: sun_path holds 108 bytes.
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdp-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function setup(overrides: Partial<DevicePluginSettings> = {}) {
  const root = scratch();
  const tree = writeFakeGpioTree(root, [
    { number: 0, label: 'gpio-decoy', lines: 8, base: 512 },
    { number: 1, label: 'pinctrl-bcm2711', lines: 58, base: 520, parent: 'platform/soc/fe200000.gpio' },
  ]);
  const kubeletDir = join(root, 'kubelet');
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const registry = new Registry();
  const settings: DevicePluginSettings = {
    resource: 'gpio-fleet.io/gpiochip',
    count: 3,
    kubeletDir,
    pollIntervalMs: 50,
    chip: { labels: ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'], devDir: tree.dev, sysDir: tree.sys },
    backoff: { initialMs: 100, maxMs: 400 },
    ...overrides,
  };
  const plugin = new GpioDevicePlugin(settings, logger, createPluginMetrics(registry));
  cleanups.push(() => plugin.stop());
  return { root, tree, kubeletDir, logs, registry, plugin };
}

async function kubeletAt(dir: string): Promise<FakeKubelet> {
  const k = await FakeKubelet.start(dir);
  cleanups.push(() => k.stop());
  return k;
}

const healthOf = (k: FakeKubelet) => k.latest?.updates.at(-1)?.devices.map((d) => `${d.ID}=${d.health}`);
const metric = async (registry: Registry, name: string, labels = '') =>
  (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}${labels} `))?.split(' ')[1];

describe('registration', () => {
  it('registers v1beta1 with the resource and its socket, and streams every share as healthy', async () => {
    const { kubeletDir, plugin, registry } = setup();
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    expect(plugin.registered).toBe(true);
    expect(kubelet.connections).toHaveLength(1);
    expect(kubelet.latest!.request).toEqual({
      version: 'v1beta1',
      endpoint: 'gpio-fleet.io_gpiochip.sock',
      resourceName: 'gpio-fleet.io/gpiochip',
      options: { preStartRequired: false, getPreferredAllocationAvailable: false },
    });
    expect(existsSync(join(kubeletDir, 'device-plugins', 'gpio-fleet.io_gpiochip.sock'))).toBe(true);
    await waitFor('the first ListAndWatch message', () => healthOf(kubelet));
    expect(healthOf(kubelet)).toEqual(['gpiochip-0=Healthy', 'gpiochip-1=Healthy', 'gpiochip-2=Healthy']);
    expect(await kubelet.options()).toEqual({ preStartRequired: false, getPreferredAllocationAvailable: false });
    expect(await metric(registry, 'gpio_device_plugin_registered')).toBe('1');
    expect(await metric(registry, 'gpio_device_plugin_devices', '{health="Healthy"}')).toBe('3');
    expect(await metric(registry, 'gpio_device_plugin_chip_info', '{resource="gpio-fleet.io/gpiochip",path="/dev/gpiochip1",chip="gpiochip1",label="pinctrl-bcm2711"}')).toBe('1');
  });

  it('retries a missing kubelet with growing delays, logs each attempt, and registers once it appears', async () => {
    const { kubeletDir, plugin, logs, registry } = setup();
    await plugin.start();
    expect(plugin.registered).toBe(false);
    const retries = () => logs.filter((r) => r.msg === 'registration failed; retrying');
    await waitFor('three failed attempts', () => (retries().length >= 3 ? true : undefined), 5000, 20);
    expect(retries().slice(0, 3).map((r) => r.retryInSeconds)).toEqual([0.1, 0.2, 0.4]);
    expect(JSON.stringify(retries()[0]?.error)).toMatch(/kubelet\.sock does not exist/);
    expect(Number(await metric(registry, 'gpio_device_plugin_registrations_total', '{result="error"}'))).toBeGreaterThanOrEqual(3);
    expect(await metric(registry, 'gpio_device_plugin_registered')).toBe('0');
    const kubelet = await kubeletAt(kubeletDir);
    await waitFor('registration', () => (plugin.registered ? true : undefined), 5000, 20);
    expect(kubelet.connections).toHaveLength(1);
    expect(logs.some((r) => r.msg === 'registered with the kubelet')).toBe(true);
  });

  it('registers again, on a new socket, when the kubelet restarts', async () => {
    const { kubeletDir, plugin, logs } = setup();
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    await kubelet.restart();
    await waitFor('a second registration', () => (kubelet.connections.length === 2 ? true : undefined), 5000, 20);
    expect(logs.some((r) => r.msg === 'kubelet restarted: registering again')).toBe(true);
    // The restart deleted the plugin's socket; the second registration dialled a new one.
    expect(existsSync(join(kubeletDir, 'device-plugins', 'gpio-fleet.io_gpiochip.sock'))).toBe(true);
    await waitFor('the new stream', () => healthOf(kubelet));
    const r = await kubelet.allocate({ containerRequests: [{ devicesIds: ['gpiochip-2'] }] });
    expect(r.containerResponses[0]?.envs).toEqual({ GPIO_CHIP: '/dev/gpiochip1' });
  });
});

describe('health', () => {
  it('marks every share unhealthy when the chip disappears, and healthy when it comes back', async () => {
    const { kubeletDir, plugin, tree, registry } = setup();
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    await waitFor('healthy devices', () => (healthOf(kubelet)?.every((h) => h.endsWith('=Healthy')) ? true : undefined));
    rmSync(join(tree.sys, 'bus/gpio/devices/gpiochip1'));
    await waitFor('unhealthy devices', () => (healthOf(kubelet)?.every((h) => h.endsWith('=Unhealthy')) ? true : undefined));
    expect(await metric(registry, 'gpio_device_plugin_devices', '{health="Unhealthy"}')).toBe('3');
    expect((await registry.metrics()).includes('gpio_device_plugin_chip_info{')).toBe(false);
    await expect(kubelet.allocate({ containerRequests: [{ devicesIds: ['gpiochip-0'] }] })).rejects.toMatchObject({
      code: 9, // FAILED_PRECONDITION
      details: expect.stringContaining('no chip labelled'),
    });
    symlinkSync('../../../devices/platform/soc/fe200000.gpio/gpiochip1', join(tree.sys, 'bus/gpio/devices/gpiochip1'));
    await waitFor('healthy again', () => (healthOf(kubelet)?.every((h) => h.endsWith('=Healthy')) ? true : undefined));
    expect(await metric(registry, 'gpio_device_plugin_devices', '{health="Healthy"}')).toBe('3');
  });

  it('starts without the chip: registered, every share unhealthy, and the reason logged', async () => {
    const { kubeletDir, plugin, logs, tree } = setup();
    rmSync(join(tree.dev, 'gpiochip1'));
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    await waitFor('the first ListAndWatch message', () => healthOf(kubelet));
    expect(healthOf(kubelet)).toEqual(['gpiochip-0=Unhealthy', 'gpiochip-1=Unhealthy', 'gpiochip-2=Unhealthy']);
    const warning = logs.find((r) => r.msg === 'GPIO chip not found: devices unhealthy');
    expect(warning?.reason).toBe('gpiochip1 "pinctrl-bcm2711" is in sysfs, but its node /dev/gpiochip1 does not exist');
  });
});

describe('Allocate over gRPC', () => {
  it('answers each container with the node and GPIO_CHIP, and refuses unknown IDs by name', async () => {
    const { kubeletDir, plugin, registry } = setup();
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    const r = await kubelet.allocate({ containerRequests: [{ devicesIds: ['gpiochip-0'] }, { devicesIds: ['gpiochip-1', 'gpiochip-2'] }] });
    expect(r.containerResponses).toHaveLength(2);
    for (const c of r.containerResponses) {
      expect(c).toEqual({
        envs: { GPIO_CHIP: '/dev/gpiochip1' },
        mounts: [],
        devices: [{ containerPath: '/dev/gpiochip1', hostPath: '/dev/gpiochip1', permissions: 'rw' }],
        annotations: {},
        cdiDevices: [],
      });
    }
    await expect(kubelet.allocate({ containerRequests: [{ devicesIds: ['gpiochip-9'] }] })).rejects.toMatchObject({
      code: 5, // NOT_FOUND
      details: expect.stringContaining('unknown device gpiochip-9'),
    });
    expect(await metric(registry, 'gpio_device_plugin_allocations_total', '{result="ok"}')).toBe('2');
    expect(await metric(registry, 'gpio_device_plugin_allocations_total', '{result="error"}')).toBe('1');
  });
});

describe('stopping', () => {
  it('ends the kubelet stream and removes its socket', async () => {
    const { kubeletDir, plugin } = setup();
    const kubelet = await kubeletAt(kubeletDir);
    await plugin.start();
    await waitFor('the stream', () => healthOf(kubelet));
    await plugin.stop();
    expect(plugin.registered).toBe(false);
    await waitFor('the stream to end', () => (kubelet.latest!.ended ? true : undefined));
    expect(existsSync(join(kubeletDir, 'device-plugins', 'gpio-fleet.io_gpiochip.sock'))).toBe(false);
  });

  it('stops promptly while a Register call waits on a kubelet that never answers', async () => {
    const { kubeletDir, plugin } = setup({ registerTimeoutMs: 60_000 });
    mkdirSync(join(kubeletDir, 'device-plugins'), { recursive: true });
    // Accepts the connection and never speaks: the call would wait for its whole deadline.
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket)).listen(join(kubeletDir, 'device-plugins', 'kubelet.sock'));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of held) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const starting = plugin.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = Date.now();
    await plugin.stop();
    await starting;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(plugin.registered).toBe(false);
  });
});
