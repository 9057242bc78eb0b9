// Which /dev/gpiochipN carries the 40-pin header. Pure: the probing happens elsewhere (the
// gpiochip backend opens each chip and asks the kernel, chip-open.ts; the device plugin, which
// may not open them, reads sysfs, sysfs-probe.ts); this file only decides from what they found.
import { isAbsolute, join } from 'node:path';
import type { ChipInfo } from './addon.js';

/**
 * Labels of the chips that drive the header, in order of preference. Pi 5: pinctrl-rp1
 * (gpiochip4 before kernel 6.6.45, gpiochip0 after); Pi 4/400/CM4: pinctrl-bcm2711;
 * Pi 1-3, Zero: pinctrl-bcm2835. Header pin BCM n is line offset n on each of them.
 */
export const HEADER_CHIP_LABELS: readonly string[] = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'];

const CHIP_NAME = /^gpiochip(\d+)$/;

/** The gpiochipN entries of a directory listing, in numeric order. */
export function chipDeviceNames(entries: readonly string[]): string[] {
  return entries
    .filter((e) => CHIP_NAME.test(e))
    .sort((a, b) => Number(CHIP_NAME.exec(a)![1]) - Number(CHIP_NAME.exec(b)![1]));
}

/** --gpio-chip / GPIO_CHIP: a path (/dev/gpiochip4) or a bare name (gpiochip4) under devDir. */
export function resolveChipOption(value: string, devDir: string): string {
  const v = value.trim();
  return isAbsolute(v) || v.includes('/') ? v : join(devDir, v);
}

export interface ChipProbe {
  path: string;
  info?: ChipInfo;
  /** errno name when opening or querying failed. */
  errorCode?: string;
  errorMessage?: string;
}

export type ChipChoice =
  | { kind: 'found'; probe: ChipProbe & { info: ChipInfo } }
  /** No readable chip is a header chip, and some could not be opened for lack of permission. */
  | { kind: 'denied'; probe: ChipProbe }
  | { kind: 'none' };

const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

export function isPermissionCode(code: string | undefined): boolean {
  return code !== undefined && PERMISSION_CODES.has(code);
}

/**
 * Pick the header chip by label: the first label of `labels` that any chip has wins, and
 * among chips with that label the lowest device number (probes are in device-number order).
 */
export function chooseHeaderChip(probes: readonly ChipProbe[], labels: readonly string[] = HEADER_CHIP_LABELS): ChipChoice {
  for (const label of labels) {
    const hit = probes.find((p) => p.info?.label === label);
    if (hit?.info) return { kind: 'found', probe: { ...hit, info: hit.info } };
  }
  // An unreadable chip might be the header chip: say so rather than "not a Pi".
  const denied = probes.find((p) => isPermissionCode(p.errorCode));
  if (denied) return { kind: 'denied', probe: denied };
  return { kind: 'none' };
}
