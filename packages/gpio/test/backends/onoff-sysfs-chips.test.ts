// Header-chip discovery and sysfs numbering, on real temporary directory trees shaped like
// /sys/class/gpio on the kernels and boards that matter.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, InvalidValueError } from '../../src/errors.js';
import { findHeaderChip, headerChip, readSysfsChips, sysfsNumber } from '../../src/backends/onoff/sysfs-chips.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gpio-sysfs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

interface ChipSpec {
  base: number;
  ngpio: number;
  label: string;
}

/** A /sys/class/gpio-shaped tree: export/unexport files and one gpiochip<base> dir per chip. */
function sysfsTree(chips: ChipSpec[], extra: (dir: string) => void = () => undefined): string {
  const dir = join(root, 'class-gpio');
  mkdirSync(dir);
  writeFileSync(join(dir, 'export'), '');
  writeFileSync(join(dir, 'unexport'), '');
  for (const c of chips) {
    const chip = join(dir, `gpiochip${c.base}`);
    mkdirSync(chip);
    writeFileSync(join(chip, 'base'), `${c.base}\n`);
    writeFileSync(join(chip, 'ngpio'), `${c.ngpio}\n`);
    writeFileSync(join(chip, 'label'), `${c.label}\n`);
  }
  extra(dir);
  return dir;
}

const EXP = (base: number): ChipSpec => ({ base, ngpio: 8, label: 'raspberrypi-exp-gpio' });

describe('headerChip + sysfsNumber', () => {
  it('old kernel (before 6.6): header chip at base 0, so BCM n is sysfs n', () => {
    const dir = sysfsTree([{ base: 0, ngpio: 58, label: 'pinctrl-bcm2711' }, EXP(504)]);
    const chip = headerChip(dir);
    expect(chip).toEqual({ name: 'gpiochip0', base: 0, ngpio: 58, label: 'pinctrl-bcm2711' });
    expect(sysfsNumber(chip, 4)).toBe(4);
  });

  it('Pi 4 on kernel 6.6+: base 512, so GPIO4 is 516', () => {
    const dir = sysfsTree([{ base: 512, ngpio: 58, label: 'pinctrl-bcm2711' }, EXP(570)]);
    const chip = headerChip(dir);
    expect(chip.name).toBe('gpiochip512');
    expect(sysfsNumber(chip, 4)).toBe(516);
    expect(sysfsNumber(chip, 9)).toBe(521);
  });

  it('Pi 3 on kernel 6.6+: pinctrl-bcm2835 at 512', () => {
    const dir = sysfsTree([{ base: 512, ngpio: 54, label: 'pinctrl-bcm2835' }, EXP(566)]);
    expect(sysfsNumber(headerChip(dir), 17)).toBe(529);
  });

  it('Pi 5: the RP1 chip after the SoC chips, not the first chip', () => {
    const dir = sysfsTree([
      { base: 512, ngpio: 32, label: 'gpio-brcmstb@107d508500' },
      { base: 544, ngpio: 4, label: 'gpio-brcmstb@107d508520' },
      { base: 548, ngpio: 17, label: 'gpio-brcmstb@107d517c00' },
      { base: 565, ngpio: 6, label: 'gpio-brcmstb@107d517c20' },
      { base: 571, ngpio: 54, label: 'pinctrl-rp1' },
    ]);
    const chip = headerChip(dir);
    expect(chip.label).toBe('pinctrl-rp1');
    expect(sysfsNumber(chip, 4)).toBe(575);
  });

  it('lists chips by base and ignores entries that are not chips or cannot be read', () => {
    const dir = sysfsTree([EXP(570), { base: 512, ngpio: 58, label: 'pinctrl-bcm2711' }], (d) => {
      mkdirSync(join(d, 'gpio516')); // an exported line
      mkdirSync(join(d, 'gpiochip600')); // no attributes
    });
    expect(readSysfsChips(dir).map((c) => c.name)).toEqual(['gpiochip512', 'gpiochip570']);
  });
});

describe('errors', () => {
  it('no sysfs directory: says sysfs GPIO is not available and to use gpiochip', () => {
    let err: unknown;
    try {
      headerChip(join(root, 'nope'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/^onoff backend unavailable: sysfs GPIO not available: .*nope does not exist/);
    expect((err as Error).message).toContain('use --gpio gpiochip');
  });

  it('no chip with a header label: lists what was found, and that the expander is not the header', () => {
    const dir = sysfsTree([EXP(570), { base: 512, ngpio: 8, label: 'gpio-sim.0-node0' }]);
    expect(() => headerChip(dir)).toThrow(BackendUnavailableError);
    expect(() => headerChip(dir)).toThrow(/no Raspberry Pi header GPIO chip/);
    expect(() => headerChip(dir)).toThrow(/gpiochip512 "gpio-sim\.0-node0" \(base 512, 8 lines\); gpiochip570 "raspberrypi-exp-gpio"/);
    expect(() => headerChip(dir)).toThrow(/raspberrypi-exp-gpio is the firmware expander, not the header/);
  });

  it('a sysfs directory without any chip says so', () => {
    const dir = sysfsTree([]);
    expect(() => headerChip(dir)).toThrow(/found no gpiochip entries at all/);
  });

  it('two header chips are ambiguous rather than guessed', () => {
    const chips = readSysfsChips(
      sysfsTree([
        { base: 0, ngpio: 54, label: 'pinctrl-bcm2835' },
        { base: 512, ngpio: 54, label: 'pinctrl-bcm2835' },
      ]),
    );
    expect(() => findHeaderChip(chips, '/sys/class/gpio')).toThrow(/more than one Raspberry Pi header GPIO chip/);
  });

  it('a BCM number beyond the chip is an invalid value naming the accepted range', () => {
    const chip = { name: 'gpiochip512', base: 512, ngpio: 54, label: 'pinctrl-bcm2835' };
    expect(() => sysfsNumber(chip, 54)).toThrow(InvalidValueError);
    expect(() => sysfsNumber(chip, 54)).toThrow(/accepted: 0-53/);
    expect(() => sysfsNumber(chip, -1)).toThrow(InvalidValueError);
  });
});
