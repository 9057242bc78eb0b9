// The built gpio-device-plugin, run as the chart runs it, against a kubelet on real gRPC in
// this test process and a sysfs-shaped tree standing for a Pi 4: flags, registration,
// /metrics /healthz /readyz, a missing kubelet, and SIGTERM.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeBadInput,
  filterFamilies,
  httpText,
  jsonLines,
  promtoolCheckMetrics,
  readme,
  sampleValue,
  start,
  waitFor,
  writeFakeGpioTree,
  type Started,
} from '@gpio-fleet/test-tools';
import { options } from '../src/options.js';
import { VERSION } from '../src/version.js';
import { FakeKubelet } from './support/fake-kubelet.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function machine() {
  const root = mkdtempSync(join(tmpdir(), 'gdp-cli-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const tree = writeFakeGpioTree(root, [
    { number: 0, label: 'gpio-decoy', lines: 8, base: 512 },
    { number: 1, label: 'pinctrl-bcm2711', lines: 58, base: 520, parent: 'platform/soc/fe200000.gpio' },
  ]);
  return { tree, kubeletDir: join(root, 'kubelet') };
}

async function startPlugin(kubeletDir: string, tree: { dev: string; sys: string }, extra: string[] = []) {
  const proc = start(process.execPath, [
    CLI,
    ...['--kubelet-dir', kubeletDir, '--dev-dir', tree.dev, '--sys-dir', tree.sys],
    ...['--port', '0', '--host', '127.0.0.1', '--poll-interval', '100ms', ...extra],
  ]);
  cleanups.push(() => proc.stop());
  const url = await waitFor('the plugin to serve metrics', () => {
    if (proc.child.exitCode !== null) throw new Error(`exited early:\n${proc.stderr()}`);
    const rec = jsonLines(proc.stderr()).find((r) => r.msg === 'serving metrics');
    return rec ? String(rec.url).replace(/\/metrics$/, '') : undefined;
  });
  return { proc, url };
}

const logs = (p: Started) => jsonLines(p.stderr());
const status = async (url: string) => (await fetch(url)).status;

describe('gpio-device-plugin command line', () => {
  it('--version prints the version (the same as package.json), Node version and arch', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(run(['--version']).stdout.trim()).toBe(`gpio-device-plugin ${pkg.version} (node ${process.version}, linux/${process.arch})`);
  });

  it('--help documents every flag with its env var', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const o of Object.values(options)) {
      expect(r.stdout).toContain(`--${o.flag}`);
      if (o.env) expect(r.stdout).toContain(o.env);
    }
  });

  it.each([
    [['--device-path', '/tmp/gpiochip0'], '--device-path', 'a device node under /dev'],
    [['--device-path', '../gpiochip0'], '--device-path', 'a device node under /dev'],
    [['--chip-labels', 'pinctrl-rp1,,x'], '--chip-labels', 'a comma-separated list of chip labels'],
    [['--resource', 'kubernetes.io/gpiochip'], '--resource', 'the kubernetes.io domain is reserved'],
    [['--resource', 'gpio-fleet.io/'], '--resource', 'is not a resource name'],
    [['--kubelet-dir', 'var/lib/kubelet'], '--kubelet-dir', 'an absolute path'],
    [['--resourse', 'x/y'], '--resourse', 'did you mean --resource?'],
  ])('%j exits 2 naming %s', (args, flag, says) => {
    const r = run(args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toContain(says);
  });
});

describeBadInput('gpio-device-plugin', [CLI], options, {
  // Labels, device names and addresses have no wrong spelling the parser could tell; the
  // table above covers their bad forms.
  freeText: ['chip-labels', 'device-path', 'host'],
  baseArgs: [],
  baseEnv: {},
});

describe('gpio-device-plugin against a kubelet', () => {
  it('registers, is ready, and exports its devices, registration and allocations', async () => {
    const { tree, kubeletDir } = machine();
    const kubelet = await FakeKubelet.start(kubeletDir);
    cleanups.push(() => kubelet.stop());
    const { proc, url } = await startPlugin(kubeletDir, tree, ['--count', '4']);
    await waitFor('registration', () => logs(proc).find((r) => r.msg === 'registered with the kubelet'));
    expect(kubelet.latest?.request.resourceName).toBe('gpio-fleet.io/gpiochip');
    expect(await status(`${url}/readyz`)).toBe(200);
    expect(await status(`${url}/healthz`)).toBe(200);
    const found = logs(proc).find((r) => r.msg === 'GPIO chip found');
    expect(found).toMatchObject({ path: '/dev/gpiochip1', label: 'pinctrl-bcm2711', lines: 58, devices: 4 });

    const r = await kubelet.allocate({ containerRequests: [{ devicesIds: ['gpiochip-0'] }] });
    expect(r.containerResponses[0]?.envs).toEqual({ GPIO_CHIP: '/dev/gpiochip1' });

    const text = (await httpText(`${url}/metrics`))!;
    expect(sampleValue(text, 'gpio_device_plugin_devices', { health: 'Healthy' })).toBe(4);
    expect(sampleValue(text, 'gpio_device_plugin_devices', { health: 'Unhealthy' })).toBe(0);
    expect(sampleValue(text, 'gpio_device_plugin_registered')).toBe(1);
    expect(sampleValue(text, 'gpio_device_plugin_registrations_total', { result: 'ok' })).toBe(1);
    expect(sampleValue(text, 'gpio_device_plugin_allocations_total', { result: 'ok' })).toBe(1);
    expect(sampleValue(text, 'gpio_device_plugin_chip_info', { path: '/dev/gpiochip1', chip: 'gpiochip1', label: 'pinctrl-bcm2711' })).toBe(1);
    // Our families only: prom-client's nodejs_active_handles_total is a gauge named like a counter.
    const ours = filterFamilies(text, ['gpio_device_plugin_']);
    const families = [...ours.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    expect(families).toHaveLength(5);
    for (const family of families) expect(readme('apps/gpio-device-plugin/README.md'), `README documents ${family}`).toContain(`\`${family}`);
    expect(promtoolCheckMetrics(ours).output).toBe('');
  });

  it('stops on SIGTERM with exit 0: the stream ends, the socket goes, the last line says what ran', async () => {
    const { tree, kubeletDir } = machine();
    const kubelet = await FakeKubelet.start(kubeletDir);
    cleanups.push(() => kubelet.stop());
    const { proc } = await startPlugin(kubeletDir, tree);
    await waitFor('the stream', () => kubelet.latest?.updates.at(-1));
    const socket = join(kubeletDir, 'device-plugins', 'gpio-fleet.io_gpiochip.sock');
    expect(existsSync(socket)).toBe(true);
    const { code } = await proc.stop();
    expect(code, proc.stderr()).toBe(0);
    expect(logs(proc).at(-1)).toMatchObject({ msg: 'stopped', steps: ['stop device plugin', 'stop HTTP server'], exitCode: 0 });
    expect(existsSync(socket)).toBe(false);
    await waitFor('the stream to end', () => (kubelet.latest?.ended ? true : undefined));
  });

  it('without a kubelet: retries with backoff, logs each attempt, stays up and unready, then registers', async () => {
    const { tree, kubeletDir } = machine();
    const { proc, url } = await startPlugin(kubeletDir, tree);
    const retries = () => logs(proc).filter((r) => r.msg === 'registration failed; retrying');
    await waitFor('two failed attempts', () => (retries().length >= 2 ? true : undefined));
    expect(retries().map((r) => r.retryInSeconds).slice(0, 2)).toEqual([1, 2]);
    expect(JSON.stringify(retries()[0]?.error)).toContain(`${kubeletDir}/device-plugins/kubelet.sock does not exist`);
    expect(await status(`${url}/readyz`)).toBe(503);
    expect(proc.child.exitCode).toBeNull();
    const kubelet = await FakeKubelet.start(kubeletDir);
    cleanups.push(() => kubelet.stop());
    await waitFor('registration', () => logs(proc).find((r) => r.msg === 'registered with the kubelet'));
    expect(await status(`${url}/readyz`)).toBe(200);
  });
});

describe('gpio-device-plugin as a user other than root', () => {
  // The kubelet's device-plugins directory and socket are root:root 0755: only root may write
  // there. As root (CI) the test drops to uid 65534 with setpriv; as anyone else, a directory of
  // mode 0 shuts out its owner just the same.
  it('says that the kubelet admits only root, and keeps retrying', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gdp-perm-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    chmodSync(root, 0o755);
    const dir = join(root, 'kubelet', 'device-plugins');
    mkdirSync(dir, { recursive: true });
    chmodSync(join(root, 'kubelet'), 0o755);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      // A root-owned socket like the kubelet's, in a root-owned directory like its.
      const kubelet = createServer().listen(join(dir, 'kubelet.sock'));
      await new Promise((resolve) => kubelet.once('listening', resolve));
      cleanups.push(() => new Promise<void>((resolve) => kubelet.close(() => resolve())));
      chmodSync(join(dir, 'kubelet.sock'), 0o755);
      chmodSync(dir, 0o755);
    } else {
      chmodSync(dir, 0);
      cleanups.push(() => chmodSync(dir, 0o700));
    }
    const command = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    const proc = start(command[0]!, [...command.slice(1), CLI, '--kubelet-dir', join(root, 'kubelet'), '--port', '0', '--host', '127.0.0.1']);
    cleanups.push(() => proc.stop());
    const retry = await waitFor('a failed registration', () => logs(proc).find((r) => r.msg === 'registration failed; retrying'));
    expect(JSON.stringify(retry.error)).toContain(`permission denied reaching ${dir}/kubelet.sock as uid ${asRoot ? 65534 : process.getuid?.()}`);
    expect(JSON.stringify(retry.error)).toContain('only root may write to the kubelet\'s socket and its device-plugins directory, so the plugin must run as uid 0');
  });
});

describe('gpio-device-plugin --once', () => {
  it('prints what a container would get from this node as one JSON line, exit 0', () => {
    const { tree } = machine();
    const r = run(['--once', '--dev-dir', tree.dev, '--sys-dir', tree.sys, '--count', '3']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      resource: 'gpio-fleet.io/gpiochip',
      found: true,
      chip: 'gpiochip1',
      label: 'pinctrl-bcm2711',
      lines: 58,
      devices: 3,
      allocate: {
        envs: { GPIO_CHIP: '/dev/gpiochip1' },
        mounts: [],
        devices: [{ containerPath: '/dev/gpiochip1', hostPath: '/dev/gpiochip1', permissions: 'rw' }],
        annotations: {},
        cdiDevices: [],
      },
    });
  });

  it('says why there is no chip, exit 1', () => {
    const { tree } = machine();
    const r = run(['--once', '--dev-dir', tree.dev, '--sys-dir', tree.sys, '--chip-labels', 'pinctrl-rp1']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      resource: 'gpio-fleet.io/gpiochip',
      found: false,
      reason: 'no chip labelled pinctrl-rp1: gpiochip0 "gpio-decoy" (8 lines); gpiochip1 "pinctrl-bcm2711" (58 lines)',
    });
  });
});
