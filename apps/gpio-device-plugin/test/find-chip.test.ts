// Which node the plugin hands out, decided from sysfs-shaped trees and fake chips: the label
// rules, the Pi 5's renumbering, an explicit --device-path, and every way there is no chip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADER_CHIP_LABELS } from '@gpio-fleet/gpio';
import { writeFakeGpioTree, type FakeGpioChip } from '@gpio-fleet/test-tools';
import { findChip, localPath, sameState, type ChipSettings } from '../src/chip/find-chip.js';

const tmp = mkdtempSync(join(tmpdir(), 'find-chip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function machine(chips: FakeGpioChip[], settings: Partial<ChipSettings> = {}): ChipSettings {
  const tree = writeFakeGpioTree(join(tmp, String(n++)), chips);
  return { labels: HEADER_CHIP_LABELS, devDir: tree.dev, sysDir: tree.sys, ...settings };
}

// Chip sets as the boards have them (labels from each board's kernel).
const PI5_BEFORE_6_6_45: FakeGpioChip[] = [
  { number: 0, label: 'gpio-brcmstb@107d508500', lines: 32, base: 512, parent: 'platform/soc/107d508500.gpio' },
  { number: 1, label: 'gpio-brcmstb@107d508520', lines: 4, base: 544, parent: 'platform/soc/107d508520.gpio' },
  { number: 4, label: 'pinctrl-rp1', lines: 54, base: 571, parent: 'platform/axi/1000120000.pcie/1f000d0000.gpio' },
];
const PI5_FROM_6_6_45: FakeGpioChip[] = [
  { number: 0, label: 'pinctrl-rp1', lines: 54, base: 571, parent: 'platform/axi/1000120000.pcie/1f000d0000.gpio' },
  { number: 10, label: 'gpio-brcmstb@107d508500', lines: 32, base: 512, parent: 'platform/soc/107d508500.gpio' },
  { number: 11, label: 'gpio-brcmstb@107d508520', lines: 4, base: 544, parent: 'platform/soc/107d508520.gpio' },
];
const PI4: FakeGpioChip[] = [
  { number: 0, label: 'pinctrl-bcm2711', lines: 58, base: 512, parent: 'platform/soc/fe200000.gpio' },
  { number: 1, label: 'raspberrypi-exp-gpio', lines: 8, base: 570, parent: 'platform/soc/firmware/gpio' },
];
const PI3: FakeGpioChip[] = [
  { number: 0, label: 'raspberrypi-exp-gpio', lines: 8, base: 504 },
  { number: 1, label: 'pinctrl-bcm2835', lines: 54, base: 0, parent: 'platform/soc/3f200000.gpio' },
];

describe('the header chip by label', () => {
  it.each([
    ['Pi 4', '/dev/gpiochip0', PI4, 'pinctrl-bcm2711', 58],
    ['Pi 3 (the firmware expander comes first and is skipped)', '/dev/gpiochip1', PI3, 'pinctrl-bcm2835', 54],
    ['Pi 5 before kernel 6.6.45', '/dev/gpiochip4', PI5_BEFORE_6_6_45, 'pinctrl-rp1', 54],
    ['Pi 5 from kernel 6.6.45', '/dev/gpiochip0', PI5_FROM_6_6_45, 'pinctrl-rp1', 54],
  ])('%s: %s', (_board, hostPath, chips, label, lines) => {
    expect(findChip(machine(chips))).toEqual({ kind: 'found', hostPath, name: hostPath.slice(5), label, lines });
  });

  it('tells the kubelet the host path, wherever this process sees the host /dev', () => {
    const settings = machine(PI4);
    expect(settings.devDir).not.toBe('/dev');
    expect(findChip(settings)).toMatchObject({ hostPath: '/dev/gpiochip0' });
    expect(localPath('/dev/gpiochip0', '/host/dev')).toBe('/host/dev/gpiochip0');
  });

  it('tries the configured labels in their order', () => {
    const chips: FakeGpioChip[] = [
      { number: 0, label: 'gpio-decoy', lines: 8, base: 512 },
      { number: 1, label: 'pinctrl-bcm2711', lines: 58, base: 520 },
      { number: 2, label: 'my-board-gpio', lines: 32, base: 600 },
    ];
    expect(findChip(machine(chips))).toMatchObject({ hostPath: '/dev/gpiochip1' });
    expect(findChip(machine(chips, { labels: ['my-board-gpio', 'pinctrl-bcm2711'] }))).toMatchObject({ hostPath: '/dev/gpiochip2', label: 'my-board-gpio' });
  });

  it('is missing, listing what there is, when no chip has one of the labels', () => {
    expect(findChip(machine([{ number: 0, label: 'gpio-decoy', lines: 8, base: 512 }]))).toEqual({
      kind: 'missing',
      reason: 'no chip labelled pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835: gpiochip0 "gpio-decoy" (8 lines)',
    });
  });

  it('is missing on a machine without GPIO chips', () => {
    const settings = machine([]);
    expect(findChip(settings)).toEqual({
      kind: 'missing',
      reason: `no chip labelled pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835: no GPIO chips in ${settings.sysDir}/bus/gpio/devices`,
    });
  });

  it('is missing when sysfs has the chip but /dev has no node for it', () => {
    expect(findChip(machine([{ ...PI4[0]!, node: false }]))).toEqual({
      kind: 'missing',
      reason: 'gpiochip0 "pinctrl-bcm2711" is in sysfs, but its node /dev/gpiochip0 does not exist',
    });
  });

  it('is missing, saying why, when sysfs gives no label (no CONFIG_GPIO_SYSFS)', () => {
    const reason = (findChip(machine([{ number: 0, label: 'pinctrl-bcm2711', lines: 58 }])) as { reason: string }).reason;
    expect(reason).toMatch(/^no chip labelled .*: gpiochip0 \(sysfs has no label for gpiochip0 .*CONFIG_GPIO_SYSFS\)\)$/);
  });
});

describe('--device-path', () => {
  it('hands out that node, with no label check', () => {
    const settings = machine([{ number: 3, label: 'not-a-pi', lines: 16, base: 512 }], { devicePath: '/dev/gpiochip3' });
    expect(findChip(settings)).toEqual({ kind: 'found', hostPath: '/dev/gpiochip3', name: 'gpiochip3', label: undefined, lines: undefined });
  });

  it('wins over a header chip found by label', () => {
    const settings = machine([...PI4, { number: 7, label: 'extra', lines: 8, base: 700 }], { devicePath: '/dev/gpiochip7' });
    expect(findChip(settings)).toMatchObject({ hostPath: '/dev/gpiochip7' });
  });

  it('is missing when the node does not exist, or is not a character device', () => {
    const settings = machine([], { devicePath: '/dev/gpio-standin' });
    expect(findChip(settings)).toEqual({ kind: 'missing', reason: '/dev/gpio-standin (from --device-path) does not exist' });
    writeFileSync(join(settings.devDir, 'gpio-standin'), '');
    expect(findChip(settings)).toEqual({ kind: 'missing', reason: '/dev/gpio-standin (from --device-path) is not a character device' });
  });
});

describe('sameState', () => {
  it('tells a new node or a new reason from the same one', () => {
    const a = findChip(machine(PI5_BEFORE_6_6_45));
    const b = findChip(machine(PI5_FROM_6_6_45));
    expect(sameState(a, findChip(machine(PI5_BEFORE_6_6_45)))).toBe(true);
    expect(sameState(a, b)).toBe(false);
    expect(sameState({ kind: 'missing', reason: 'x' }, { kind: 'missing', reason: 'x' })).toBe(true);
    expect(sameState({ kind: 'missing', reason: 'x' }, { kind: 'missing', reason: 'y' })).toBe(false);
    expect(sameState(a, { kind: 'missing', reason: 'x' })).toBe(false);
  });
});
