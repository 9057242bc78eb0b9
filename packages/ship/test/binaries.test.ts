// Every executable, each run on its own architecture: natively (x64) or under qemu-user
// (arm64, armv7), with the simulated GPIO backend and with the onoff backend.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES, binaryName } from '../src/apps.js';
import { readElf } from '../src/files.js';
import { TARGET_ARCHES, TARGETS } from '../src/targets.js';
import { inFakeSysfs, withoutSysfsGpio } from './helpers/fake-sysfs.js';
import { appVersion, binaryPath, jsonLines, pins, runTarget } from './helpers/targets.js';

const timings: string[] = [];
afterAll(() => {
  // Measured, not asserted: how long each run took (qemu included).
  process.stdout.write(`[ship test] run times:\n  ${timings.join('\n  ')}\n`);
});

describe.each(TARGET_ARCHES)('linux-%s executables', (arch) => {
  const target = TARGETS[arch];
  const pin = pins[arch];

  it('are executables for the right CPU', async () => {
    for (const app of APP_NAMES) {
      const elf = await readElf(binaryPath(app, arch));
      expect(elf).toMatchObject({ machine: target.elf.machine, bits: target.elf.bits, littleEndian: true });
    }
  });

  // Under qemu on a busy 2-core machine the emulated process can stall for longer than the
  // mock's 2 ms charge time right after the pin turns to input; the app then rightly reports a
  // pin that is already HIGH (exit 1). Emulated runs get two more tries; x64 gets none.
  it('light-sensor --gpio mock --once prints one plausible reading at the default 100 lux', { retry: target.emulator.length > 0 ? 2 : 0 }, async () => {
    // A generous --timeout for the same reason: a stall can outlast the default 1 s.
    const r = await runTarget(arch, binaryPath('light-sensor', arch), ['--gpio', 'mock', '--once', '--timeout', '30s']);
    timings.push(`light-sensor-linux-${arch} --gpio mock --once: ${Math.round(r.ms)} ms`);
    expect(r.stderr).not.toMatch(/experimental feature/i);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const reading = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(reading).sort()).toEqual(['backend', 'chargeSeconds', 'level', 'lux', 'pin', 'timedOut']);
    expect(reading).toMatchObject({ pin: 'BCM4', backend: 'mock', timedOut: false });
    // docs/hardware.md#worked-values: 100 lux charges 1 µF through a GL5528 in about 1.99 ms.
    expect(reading.lux as number).toBeGreaterThan(80);
    expect(reading.lux as number).toBeLessThan(125);
    expect(reading.chargeSeconds as number).toBeGreaterThan(0.0016);
    expect(reading.chargeSeconds as number).toBeLessThan(0.0025);
    expect(reading.level as number).toBeGreaterThan(0.7);
    expect(reading.level as number).toBeLessThan(0.85);
  });

  it('traffic-light --gpio mock --once applies the first phase and prints it as one JSON line', async () => {
    const r = await runTarget(arch, binaryPath('traffic-light', arch), ['--gpio', 'mock', '--once', '--host', '127.0.0.1', '--port', '0']);
    timings.push(`traffic-light-linux-${arch} --gpio mock --once: ${Math.round(r.ms)} ms`);
    expect(r.stderr).not.toMatch(/experimental feature/i);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ backend: 'mock', phase: 'red', lamps: ['red'] });
  });

  it('traffic-light --gpio mock runs one cycle in order, then switches every lamp off', async () => {
    const r = await runTarget(arch, binaryPath('traffic-light', arch), [
      '--gpio', 'mock', '--cycles', '1', '--phases', 'red:200ms,red+amber:200ms,green:200ms,amber:200ms', '--host', '127.0.0.1', '--port', '0',
    ]);
    timings.push(`traffic-light-linux-${arch} --cycles 1 (0.8 s of phases): ${Math.round(r.ms)} ms`);
    expect(r.code, r.stderr).toBe(0);
    const logs = jsonLines(r.stderr);
    const phases = logs.filter((l) => l.msg === 'phase');
    expect(phases.map((p) => p.phase)).toEqual(['red', 'red_amber', 'green', 'amber']);
    expect(phases.map((p) => p.lamps)).toEqual([['red'], ['red', 'amber'], ['green'], ['amber']]);
    expect(logs.findIndex((l) => l.msg === 'all lamps off')).toBeGreaterThan(logs.indexOf(phases[3]!));
  });

  it('traffic-light switches the lamps off and exits 0 on SIGTERM', async () => {
    let sent = false;
    const r = await runTarget(arch, binaryPath('traffic-light', arch), ['--gpio', 'mock', '--host', '127.0.0.1', '--port', '0'], {
      onStart: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          if (!sent && d.toString().includes('"msg":"phase"')) {
            sent = true;
            child.kill('SIGTERM');
          }
        });
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stderr).map((l) => l.msg)).toContain('all lamps off');
  });

  // The plugin's gRPC stack (grpc-js, protobufjs and the .proto the bundle carries) loads in
  // the embedded Node: it parses the API, finds no kubelet, says it will retry, and stops.
  it('gpio-device-plugin loads its gRPC API, retries a missing kubelet, and exits 0 on SIGTERM', async () => {
    let sent = false;
    const r = await runTarget(arch, binaryPath('gpio-device-plugin', arch), ['--kubelet-dir', '/nonexistent/kubelet', '--host', '127.0.0.1', '--port', '0'], {
      onStart: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          if (!sent && d.toString().includes('"msg":"registration failed; retrying"')) {
            sent = true;
            child.kill('SIGTERM');
          }
        });
      },
    });
    timings.push(`gpio-device-plugin-linux-${arch} to its first registration attempt: ${Math.round(r.ms)} ms`);
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    const retry = jsonLines(r.stderr).find((l) => l.msg === 'registration failed; retrying');
    expect(JSON.stringify(retry?.error)).toContain('/nonexistent/kubelet/device-plugins/kubelet.sock does not exist');
  });

  // The fleet CLI as CommonJS in the SEA: its whole Kubernetes client loads, it finds no
  // cluster (exit 4), and Node's deprecation warnings about the client's dependencies stay
  // out of its output.
  it('gpio-fleet loads its Kubernetes client, exits 4 without a kubeconfig, and prints no deprecation warning', async () => {
    const r = await runTarget(arch, binaryPath('gpio-fleet', arch), ['nodes'], { env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
    timings.push(`gpio-fleet-linux-${arch} nodes (no kubeconfig): ${Math.round(r.ms)} ms`);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('no kubeconfig found');
    expect(r.stderr).not.toMatch(/DeprecationWarning|DEP0\d+/);
  });

  it('--version names the app version, the embedded Node and the architecture', async () => {
    for (const app of APP_NAMES) {
      const r = await runTarget(arch, binaryPath(app, arch), ['--version']);
      timings.push(`${app}-linux-${arch} --version: ${Math.round(r.ms)} ms`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`${app} ${appVersion(app)} (node v${pin.version}, linux/${target.nodeArch})`);
    }
  });

  // Build and CI machines have no /dev/gpiochip*, so after loading the addon the backend stops there.
  it('--gpio gpiochip loads gpiochip.node from the shipped layout, then finds no GPIO chip here', async () => {
    const r = await runTarget(arch, binaryPath('light-sensor', arch), ['--gpio', 'gpiochip', '--once']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/no GPIO chip: \/dev\/gpiochip\* not present/);
    expect(r.stderr).not.toMatch(/not found|cannot load the native addon/);
  });

  describe('real backends: addons beside the executable, or missing', () => {
    let lonely: string;
    beforeAll(async () => {
      // The same executable without the native-linux-<arch> directory beside it.
      lonely = await mkdtemp(join(tmpdir(), `ship-lonely-${arch}-`));
      await copyFile(binaryPath('light-sensor', arch), join(lonely, `light-sensor-linux-${arch}`));
    });
    afterAll(() => rm(lonely, { recursive: true, force: true }));

    it('loads onoff and its epoll addon from the shipped layout, then fails with the sysfs error', async () => {
      const r = await runTarget(arch, binaryPath('light-sensor', arch), ['--gpio', 'onoff', '--once'], { wrap: inFakeSysfs });
      expect(r.code, r.stderr).toBe(1);
      // The export of GPIO4 (= 512 + 4) happens inside onoff, after the package has loaded.
      expect(r.stderr).toMatch(/onoff backend unavailable: .*gpio516/);
      expect(r.stderr).not.toMatch(/not installed|cannot find module|wrong ELF|invalid ELF|NODE_MODULE_VERSION/i);
    });

    it('without the native directory, says where the package must go', async () => {
      const r = await runTarget(arch, join(lonely, `light-sensor-linux-${arch}`), ['--gpio', 'onoff', '--once'], { wrap: inFakeSysfs });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the npm package "onoff" is not installed');
      expect(r.stderr).toContain(join(lonely, `native-linux-${arch}`, 'node_modules', 'onoff'));
    });

    it('without the native directory, says where the package must go (gpiochip)', async () => {
      const r = await runTarget(arch, join(lonely, `light-sensor-linux-${arch}`), ['--gpio', 'gpiochip', '--once']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('native addon gpiochip.node not found');
      expect(r.stderr).toContain(join(lonely, `native-linux-${arch}`, 'gpiochip.node'));
    });

    it('on a machine without sysfs GPIO, names the missing interface', async () => {
      const r = await runTarget(arch, binaryPath('light-sensor', arch), ['--gpio', 'onoff', '--once'], { wrap: withoutSysfsGpio });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/sysfs GPIO not available: \/sys\/class\/gpio does not exist/);
    });
  });
});

describe('dist/bin/manifest.json', () => {
  it('lists every executable with its Node version and checksum', async () => {
    const manifest = JSON.parse(await readFile(join(binaryPath('light-sensor', 'x64'), '..', 'manifest.json'), 'utf8')) as {
      binaries: { file: string; arch: string; node: string; sha256: string; bytes: number }[];
    };
    expect(manifest.binaries.map((b) => b.file).sort()).toEqual(
      TARGET_ARCHES.flatMap((a) => APP_NAMES.map((app) => binaryName(app, a))).sort(),
    );
    for (const b of manifest.binaries) {
      expect(b.node).toBe(pins[b.arch as keyof typeof pins].version);
      expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
