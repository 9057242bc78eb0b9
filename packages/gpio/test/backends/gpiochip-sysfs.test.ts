// Finding the header chip from sysfs, without opening any chip: the probes the device plugin
// makes, against trees shaped like the kernel's (links and all), then the same choice by label
// the gpiochip backend makes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeGpioTree, type FakeGpioChip } from '@gpio-fleet/test-tools';
import { chooseHeaderChip, HEADER_CHIP_LABELS } from '../../src/backends/gpiochip/chip-select.js';
import { probeChipsInSysfs } from '../../src/backends/gpiochip/sysfs-probe.js';

const tmp = mkdtempSync(join(tmpdir(), 'gpio-sysfs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const tree = (chips: FakeGpioChip[]) => writeFakeGpioTree(join(tmp, String(n++)), chips);

describe('probeChipsInSysfs', () => {
  it('reads each chip of /sys/bus/gpio/devices with the label and lines of its class entry, in device order', () => {
    const { paths } = tree([
      { number: 10, label: 'gpio-brcmstb@107d508500', lines: 32, base: 569, parent: 'platform/soc/107d508500.gpio' },
      { number: 0, label: 'pinctrl-rp1', lines: 54, base: 571, parent: 'platform/axi/1000120000.pcie/1f000d0000.gpio' },
    ]);
    expect(probeChipsInSysfs(paths)).toEqual([
      { path: join(paths.dev, 'gpiochip0'), info: { name: 'gpiochip0', label: 'pinctrl-rp1', lines: 54 } },
      { path: join(paths.dev, 'gpiochip10'), info: { name: 'gpiochip10', label: 'gpio-brcmstb@107d508500', lines: 32 } },
    ]);
  });

  it('a base never stands for the device number: gpiochip512 in /sys/class/gpio is /dev/gpiochip0', () => {
    const { paths } = tree([{ number: 0, label: 'pinctrl-bcm2711', lines: 58, base: 512, parent: 'platform/soc/fe200000.gpio' }]);
    const [probe] = probeChipsInSysfs(paths);
    expect(probe?.path).toBe(join(paths.dev, 'gpiochip0'));
    expect(probe?.info?.label).toBe('pinctrl-bcm2711');
  });

  it('pairs chips that share a parent device with its class entries in registration order', () => {
    // gpio-sim with two banks on one device: gpiochip1 and gpiochip2, bases 520 and 528.
    const { paths } = tree([
      { number: 1, label: 'bank-a', lines: 8, base: 520, parent: 'platform/gpio-sim.0' },
      { number: 2, label: 'bank-b', lines: 16, base: 528, parent: 'platform/gpio-sim.0' },
    ]);
    expect(probeChipsInSysfs(paths).map((p) => [p.info?.name, p.info?.label, p.info?.lines])).toEqual([
      ['gpiochip1', 'bank-a', 8],
      ['gpiochip2', 'bank-b', 16],
    ]);
  });

  it('finds the class entry of a chip without a parent device under the chip itself', () => {
    const { paths } = tree([{ number: 3, label: 'gpio-virtual', lines: 4, base: 600, parent: null }]);
    expect(probeChipsInSysfs(paths)[0]?.info).toEqual({ name: 'gpiochip3', label: 'gpio-virtual', lines: 4 });
  });

  it('reads the per-number entry chipN of newer kernels', () => {
    const { paths } = tree([{ number: 4, label: 'pinctrl-rp1', lines: 54, byNumber: true, parent: 'platform/rp1' }]);
    expect(probeChipsInSysfs(paths)[0]?.info).toEqual({ name: 'gpiochip4', label: 'pinctrl-rp1', lines: 54 });
  });

  it('says why when sysfs gives no label (a kernel without CONFIG_GPIO_SYSFS)', () => {
    const { paths } = tree([{ number: 0, label: 'pinctrl-bcm2711', lines: 58 }]);
    const [probe] = probeChipsInSysfs(paths);
    expect(probe?.info).toBeUndefined();
    expect(probe?.errorMessage).toMatch(/sysfs has no label for gpiochip0.*CONFIG_GPIO_SYSFS/);
  });

  it('is empty on a machine without GPIO, or without sysfs at all', () => {
    expect(probeChipsInSysfs(tree([]).paths)).toEqual([]);
    expect(probeChipsInSysfs({ sysBusGpio: join(tmp, 'nothing'), sysfsGpio: join(tmp, 'nothing') })).toEqual([]);
  });
});

describe('chooseHeaderChip on sysfs probes', () => {
  it('picks the Pi 5 header chip whatever its number: gpiochip4 before kernel 6.6.45, gpiochip0 after', () => {
    const before = tree([
      { number: 0, label: 'gpio-brcmstb@107d508500', lines: 32, base: 512, parent: 'platform/soc/107d508500.gpio' },
      { number: 4, label: 'pinctrl-rp1', lines: 54, base: 571, parent: 'platform/axi/1f000d0000.gpio' },
    ]);
    const after = tree([
      { number: 0, label: 'pinctrl-rp1', lines: 54, base: 512, parent: 'platform/axi/1f000d0000.gpio' },
      { number: 10, label: 'gpio-brcmstb@107d508500', lines: 32, base: 569, parent: 'platform/soc/107d508500.gpio' },
    ]);
    const pick = (paths: Parameters<typeof probeChipsInSysfs>[0]) => {
      const c = chooseHeaderChip(probeChipsInSysfs(paths));
      return c.kind === 'found' ? c.probe.info.name : c.kind;
    };
    expect(pick(before.paths)).toBe('gpiochip4');
    expect(pick(after.paths)).toBe('gpiochip0');
  });

  it('takes a list of labels in order of preference instead of the header labels', () => {
    const { paths } = tree([
      { number: 0, label: 'gpio-decoy', lines: 8, base: 512 },
      { number: 1, label: 'pinctrl-bcm2711', lines: 58, base: 520 },
    ]);
    const probes = probeChipsInSysfs(paths);
    expect(HEADER_CHIP_LABELS).toEqual(['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835']);
    expect(chooseHeaderChip(probes)).toMatchObject({ kind: 'found', probe: { info: { name: 'gpiochip1' } } });
    expect(chooseHeaderChip(probes, ['gpio-decoy'])).toMatchObject({ kind: 'found', probe: { info: { name: 'gpiochip0' } } });
    expect(chooseHeaderChip(probes, ['my-board'])).toEqual({ kind: 'none' });
  });
});
