// gpiochip backend, everything that runs without a GPIO chip: the real addon (built by
// `npm run build`) against the kernel header, flag mapping, chip choice, error messages and
// the "no chip" path. Requests, reconfiguration and edge timing run against a real kernel
// with gpio-sim in tests/vm.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/errors.js';
import { addonCandidates, errnoCode, loadGpiochipAddon } from '../../src/backends/gpiochip/addon.js';
import { chipDeviceNames, chooseHeaderChip, resolveChipOption, type ChipProbe } from '../../src/backends/gpiochip/chip-select.js';
import { createGpiochipDriver } from '../../src/backends/gpiochip/driver.js';
import { groupNameForGid } from '../../src/backends/gpiochip/group-file.js';
import { GPIO_V2_LINE_FLAG, lineRequestConfig } from '../../src/backends/gpiochip/line-flags.js';
import { lineBusyMessage, noChipMessage, permissionMessage } from '../../src/backends/gpiochip/messages.js';

const tmp = mkdtempSync(join(tmpdir(), 'gpiochip-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('gpiochip addon', () => {
  const { addon, path } = loadGpiochipAddon();

  it('loads the development build for this architecture', () => {
    expect(path).toMatch(/native\/gpiochip\/build\/linux-(x64|arm64|armv7)\/gpiochip\.node$/);
  });

  it('uses the flag values of the kernel header it was compiled against', () => {
    for (const [name, value] of Object.entries(GPIO_V2_LINE_FLAG)) {
      expect(addon.constants[`FLAG_${name}`], name).toBe(value);
    }
    // struct gpio_v2_line_event is 48 bytes on every architecture (the uAPI pads it).
    expect(addon.constants.LINE_EVENT_SIZE).toBe(48);
  });

  it('reads CLOCK_MONOTONIC, the clock of process.hrtime and the kernel event timestamps', () => {
    const before = Number(process.hrtime.bigint() % 2n ** 53n);
    const t = addon.monotonicNs();
    const after = Number(process.hrtime.bigint() % 2n ** 53n);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
    expect(Number.isSafeInteger(t)).toBe(true);
  });

  it('throws errors carrying errno, mapped to names', () => {
    let caught: unknown;
    try {
      addon.openChip(join(tmp, 'does-not-exist'));
    } catch (err) {
      caught = err;
    }
    expect(errnoCode(caught)).toBe('ENOENT');
    expect((caught as { syscall?: string }).syscall).toBe('open');
    expect(() => addon.lineGet({} as never)).toThrow(/line handle/);
  });

  it('reports ENOTTY when the file is not a GPIO chip', () => {
    const f = join(tmp, 'plain-file');
    writeFileSync(f, 'x');
    const fd = addon.openChip(f);
    try {
      let caught: unknown;
      try {
        addon.chipInfo(fd);
      } catch (err) {
        caught = err;
      }
      expect(errnoCode(caught)).toBe('ENOTTY');
    } finally {
      addon.closeFd(fd);
    }
  });
});

describe('addon location', () => {
  it('tries GPIO_FLEET_NATIVE_DIR, then beside the executable, then the development build', () => {
    const c = addonCandidates({
      env: { GPIO_FLEET_NATIVE_DIR: '/opt/native' },
      execPath: '/usr/local/bin/light-sensor',
      arch: 'arm',
      moduleUrl: 'file:///repo/packages/gpio/dist/backends/gpiochip/addon.js',
    });
    expect(c.map((x) => x.path)).toEqual([
      '/opt/native/gpiochip.node',
      '/usr/local/bin/native-linux-armv7/gpiochip.node',
      '/repo/packages/gpio/native/gpiochip/build/linux-armv7/gpiochip.node',
    ]);
  });

  it('skips the development build inside a bundle (no import.meta.url)', () => {
    const c = addonCandidates({ env: {}, execPath: '/app/traffic-light', arch: 'arm64', moduleUrl: undefined });
    expect(c.map((x) => x.path)).toEqual([undefined, '/app/native-linux-arm64/gpiochip.node', undefined]);
  });

  it('names every place tried when the addon is nowhere', () => {
    expect(() =>
      loadGpiochipAddon({ env: {}, execPath: join(tmp, 'bin', 'app'), arch: 'x64', moduleUrl: undefined }),
    ).toThrow(/native addon gpiochip\.node not found[\s\S]*bin\/native-linux-x64\/gpiochip\.node \(beside .*\): not found[\s\S]*build:native/);
  });

  it('reports a file that is there but does not load, instead of looking further', () => {
    writeFileSync(join(tmp, 'gpiochip.node'), 'not an ELF file\n'.repeat(64));
    expect(() =>
      loadGpiochipAddon({ env: { GPIO_FLEET_NATIVE_DIR: tmp }, execPath: '/x/app', arch: 'x64', moduleUrl: undefined }),
    ).toThrow(BackendUnavailableError);
    expect(() =>
      loadGpiochipAddon({ env: { GPIO_FLEET_NATIVE_DIR: tmp }, execPath: '/x/app', arch: 'x64', moduleUrl: undefined }),
    ).toThrow(/cannot load the native addon .*gpiochip\.node: .*(ELF|invalid)/);
  });
});

describe('line flags', () => {
  const F = GPIO_V2_LINE_FLAG;
  it('maps outputs to OUTPUT with the level as the output value attribute', () => {
    expect(lineRequestConfig({ direction: 'output', level: 1 })).toEqual({ flags: F.OUTPUT, outputValue: 1 });
    expect(lineRequestConfig({ direction: 'output', level: 0 })).toEqual({ flags: F.OUTPUT, outputValue: 0 });
  });
  it('maps input bias and edges; "none" disables any pull left behind', () => {
    expect(lineRequestConfig({ direction: 'input', pull: 'none', edge: 'none' }).flags).toBe(F.INPUT | F.BIAS_DISABLED);
    expect(lineRequestConfig({ direction: 'input', pull: 'up', edge: 'rising' }).flags).toBe(F.INPUT | F.BIAS_PULL_UP | F.EDGE_RISING);
    expect(lineRequestConfig({ direction: 'input', pull: 'down', edge: 'falling' }).flags).toBe(
      F.INPUT | F.BIAS_PULL_DOWN | F.EDGE_FALLING,
    );
    expect(lineRequestConfig({ direction: 'input', pull: 'down', edge: 'both' })).toEqual({
      flags: F.INPUT | F.BIAS_PULL_DOWN | F.EDGE_RISING | F.EDGE_FALLING,
      outputValue: -1,
    });
  });
});

describe('chip choice', () => {
  const chip = (n: number, label: string, lines = 54): ChipProbe => ({ path: `/dev/gpiochip${n}`, info: { name: `gpiochip${n}`, label, lines } });

  it('lists gpiochipN devices in numeric order and nothing else', () => {
    expect(chipDeviceNames(['gpiochip10', 'gpiomem', 'gpiochip4', 'gpiochip0', 'gpiochip1x', 'tty0'])).toEqual([
      'gpiochip0',
      'gpiochip4',
      'gpiochip10',
    ]);
  });

  it('resolves --gpio-chip names under the dev directory and keeps paths', () => {
    expect(resolveChipOption('gpiochip4', '/dev')).toBe('/dev/gpiochip4');
    expect(resolveChipOption('/dev/gpiochip0', '/dev')).toBe('/dev/gpiochip0');
    expect(resolveChipOption(' gpiochip1 ', '/host/dev')).toBe('/host/dev/gpiochip1');
  });

  it('picks the Pi 5 RP1 chip whether it is gpiochip4 (old kernels) or gpiochip0', () => {
    const old = chooseHeaderChip([chip(0, 'gpio-brcmstb@107d508500', 32), chip(1, 'gpio-brcmstb@107d517c00', 4), chip(4, 'pinctrl-rp1', 54)]);
    expect(old.kind === 'found' && old.probe.path).toBe('/dev/gpiochip4');
    const recent = chooseHeaderChip([chip(0, 'pinctrl-rp1', 54), chip(10, 'gpio-brcmstb@107d508500', 32)]);
    expect(recent.kind === 'found' && recent.probe.path).toBe('/dev/gpiochip0');
  });

  it('picks pinctrl-bcm2711 on a Pi 4 and pinctrl-bcm2835 on older Pis, not the expander chip', () => {
    const pi4 = chooseHeaderChip([chip(0, 'pinctrl-bcm2711', 58), chip(1, 'raspberrypi-exp-gpio', 8)]);
    expect(pi4.kind === 'found' && pi4.probe.info.label).toBe('pinctrl-bcm2711');
    const pi3 = chooseHeaderChip([chip(0, 'raspberrypi-exp-gpio', 8), chip(1, 'pinctrl-bcm2835', 54)]);
    expect(pi3.kind === 'found' && pi3.probe.path).toBe('/dev/gpiochip1');
  });

  it('reports an unreadable chip as a permission problem rather than "not a Pi"', () => {
    const c = chooseHeaderChip([chip(1, 'raspberrypi-exp-gpio', 8), { path: '/dev/gpiochip0', errorCode: 'EACCES' }]);
    expect(c).toEqual({ kind: 'denied', probe: { path: '/dev/gpiochip0', errorCode: 'EACCES' } });
    expect(chooseHeaderChip([chip(0, 'gpio-mockup-A', 8)])).toEqual({ kind: 'none' });
  });
});

describe('messages', () => {
  it('names the group and its gid for supplementalGroups on permission denied', () => {
    const m = permissionMessage({
      path: '/dev/gpiochip0',
      code: 'EACCES',
      mode: 0o20660,
      ownerUid: 0,
      groupGid: 997,
      groupName: 'gpio',
      processUid: 1000,
      processGroups: [1000],
    });
    expect(m).toContain('permission denied opening /dev/gpiochip0 (mode 0660, owner uid 0, group gpio gid 997) as uid 1000');
    expect(m).toContain('usermod -aG gpio');
    expect(m).toContain('supplementalGroups');
    expect(m).toContain('997');
  });

  it('explains EPERM as the container device cgroup', () => {
    expect(permissionMessage({ path: '/dev/gpiochip0', code: 'EPERM' })).toMatch(/device cgroup.*device plugin/);
  });

  it('finds group names in /etc/group text', () => {
    const etc = '# comment\nroot:x:0:\ngpio:x:997:pi,app\nusers:x:100:\n';
    expect(groupNameForGid(etc, 997)).toBe('gpio');
    expect(groupNameForGid(etc, 0)).toBe('root');
    expect(groupNameForGid(etc, 5)).toBeUndefined();
  });

  it('names the consumer of a busy line, with a hint for sysfs exports', () => {
    const base = { path: '/dev/gpiochip0', label: 'pinctrl-bcm2711', offset: 4, requester: 'light-sensor' };
    expect(lineBusyMessage({ ...base, consumer: 'other-app' })).toContain('held by "other-app"');
    expect(lineBusyMessage({ ...base, consumer: 'sysfs' })).toContain('/sys/class/gpio/unexport');
    expect(noChipMessage('/dev')).toMatch(/^no GPIO chip: \/dev\/gpiochip\* not present.*Kubernetes use the device plugin/);
  });
});

describe('createGpiochipDriver without a chip', () => {
  it('fails with "no GPIO chip" when the directory has no gpiochip devices', async () => {
    const d = mkdtempSync(join(tmp, 'dev-'));
    writeFileSync(join(d, 'null'), '');
    await expect(createGpiochipDriver({ paths: { dev: d } })).rejects.toThrow(BackendUnavailableError);
    await expect(createGpiochipDriver({ paths: { dev: d } })).rejects.toThrow(
      `gpiochip backend unavailable: no GPIO chip: ${d}/gpiochip* not present`,
    );
  });

  it('lists what it found when no chip has a Raspberry Pi label', async () => {
    const d = mkdtempSync(join(tmp, 'dev-'));
    writeFileSync(join(d, 'gpiochip0'), 'not a device');
    await expect(createGpiochipDriver({ paths: { dev: d } })).rejects.toThrow(
      /no Raspberry Pi header GPIO chip found: .*gpiochip0 \(ENOTTY.*--gpio-chip/,
    );
  });

  it('says which chip named by --gpio-chip is missing and which are present', async () => {
    const d = mkdtempSync(join(tmp, 'dev-'));
    writeFileSync(join(d, 'gpiochip0'), '');
    await expect(createGpiochipDriver({ paths: { dev: d }, chip: 'gpiochip4' })).rejects.toThrow(
      `no GPIO chip: ${d}/gpiochip4 (from --gpio-chip / GPIO_CHIP) does not exist; chips present: ${d}/gpiochip0`,
    );
  });
});
