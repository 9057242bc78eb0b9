// sysfs GPIO numbers are global: chip base + line offset. Before kernel 6.6 the Pi's header
// chip had base 0, so BCM n was sysfs n; since 6.6 bases start at 512 (Pi 4: GPIO4 = 516) and
// the Pi 5's RP1 chip sits elsewhere again. So read each gpiochip*'s base/label/ngpio and
// find the header chip by its label instead of assuming a number.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailableError, InvalidValueError } from '../../errors.js';

export interface SysfsChip {
  /** Directory name, e.g. gpiochip512 (the number is the base, not /dev/gpiochipN). */
  readonly name: string;
  readonly base: number;
  readonly ngpio: number;
  readonly label: string;
}

/**
 * Labels of the chips wired to the 40-pin header: BCM2835/6/7 (Pi 1-3, Zero), BCM2711
 * (Pi 4/400/CM4), RP1 (Pi 5). Not raspberrypi-exp-gpio: that is the firmware's expander
 * (LEDs, camera power), whose lines are not on the header.
 */
export const HEADER_CHIP_LABELS: readonly string[] = ['pinctrl-bcm2835', 'pinctrl-bcm2711', 'pinctrl-rp1'];

export function sysfsUnavailable(sysfsGpio: string, detail: string): BackendUnavailableError {
  return new BackendUnavailableError(
    'onoff',
    `sysfs GPIO not available: ${detail}. The sysfs GPIO interface is deprecated and missing on kernels built ` +
      'without CONFIG_GPIO_SYSFS (and on newer distributions); use --gpio gpiochip, which uses the GPIO character device.' +
      (sysfsGpio === '/sys/class/gpio' ? '' : ` (looked in ${sysfsGpio})`),
  );
}

function readTrimmed(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** Every gpiochip in the sysfs GPIO class directory, by ascending base. */
export function readSysfsChips(sysfsGpio: string): SysfsChip[] {
  if (!existsSync(sysfsGpio)) throw sysfsUnavailable(sysfsGpio, `${sysfsGpio} does not exist`);
  let names: string[];
  try {
    names = readdirSync(sysfsGpio).filter((n) => /^gpiochip\d+$/.test(n));
  } catch (err) {
    throw sysfsUnavailable(sysfsGpio, `${sysfsGpio} cannot be listed (${(err as Error).message})`);
  }
  const chips: SysfsChip[] = [];
  for (const name of names) {
    const dir = join(sysfsGpio, name);
    try {
      const base = Number.parseInt(readTrimmed(join(dir, 'base')), 10);
      const ngpio = Number.parseInt(readTrimmed(join(dir, 'ngpio')), 10);
      const label = readTrimmed(join(dir, 'label'));
      if (Number.isInteger(base) && Number.isInteger(ngpio)) chips.push({ name, base, ngpio, label });
    } catch {
      // A chip whose attributes cannot be read cannot be the one we use; keep looking.
    }
  }
  return chips.sort((a, b) => a.base - b.base);
}

const describe = (c: SysfsChip): string => `${c.name} "${c.label}" (base ${c.base}, ${c.ngpio} lines)`;

/** The Raspberry Pi header chip among `chips`, or a BackendUnavailableError saying what was found. */
export function findHeaderChip(chips: readonly SysfsChip[], sysfsGpio: string): SysfsChip {
  const header = chips.filter((c) => HEADER_CHIP_LABELS.includes(c.label));
  const [only] = header;
  if (header.length === 1 && only) return only;
  if (header.length > 1) {
    throw new BackendUnavailableError(
      'onoff',
      `more than one Raspberry Pi header GPIO chip in ${sysfsGpio}: ${header.map(describe).join('; ')}. ` +
        'Use --gpio gpiochip with --gpio-chip to choose one.',
    );
  }
  const found = chips.length > 0 ? chips.map(describe).join('; ') : 'no gpiochip entries at all';
  throw new BackendUnavailableError(
    'onoff',
    `no Raspberry Pi header GPIO chip in ${sysfsGpio} (looked for labels ${HEADER_CHIP_LABELS.join(', ')}; ` +
      `found ${found}). raspberrypi-exp-gpio is the firmware expander, not the header. ` +
      'On a machine that is not a Raspberry Pi use --gpio mock; otherwise try --gpio gpiochip.',
  );
}

/** The sysfs number of BCM line `bcm` on `chip` (base + offset). */
export function sysfsNumber(chip: SysfsChip, bcm: number): number {
  if (!Number.isInteger(bcm) || bcm < 0 || bcm >= chip.ngpio) {
    const accepted = `0-${chip.ngpio - 1}`;
    throw new InvalidValueError(`GPIO${bcm} is not a line of ${describe(chip)}; accepted: ${accepted}`, String(bcm), accepted);
  }
  return chip.base + bcm;
}

/** Read the sysfs tree and return the header chip (throws clear errors when there is none). */
export function headerChip(sysfsGpio: string): SysfsChip {
  return findHeaderChip(readSysfsChips(sysfsGpio), sysfsGpio);
}
