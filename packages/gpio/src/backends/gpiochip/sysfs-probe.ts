// Chip labels without opening the chips. A container's device cgroup refuses open() on a host
// /dev/gpiochipN it was not given, so a program that hands the chip to others (the device
// plugin) cannot ask the kernel by ioctl as the gpiochip backend does. sysfs says the same
// thing, and every container sees it, read-only:
//
//   /sys/bus/gpio/devices/gpiochipN      one per /dev/gpiochipN, a link into /sys/devices/...
//   /sys/class/gpio/chipN/{label,ngpio}  newer kernels: the same N as /dev/gpiochipN
//   /sys/class/gpio/gpiochipB/{label,ngpio,base}
//                                        CONFIG_GPIO_SYSFS on every kernel: B is the chip's
//                                        global base, not N. It lives under the chip's parent
//                                        device (<parent>/gpio/gpiochipB), beside that
//                                        device's gpiochipN, or under gpiochipN itself when
//                                        the chip has no parent.
//
// The probes this returns feed the same chooseHeaderChip as the backend's.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostPaths, type HostPaths } from '../options.js';
import { chipDeviceNames, type ChipProbe } from './chip-select.js';

interface ClassEntry {
  /** The device the entry belongs to: its directory's grandparent in /sys/devices. */
  owner: string;
  base: number;
  label: string;
  lines: number;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    // Missing on kernels without GPIO, or without CONFIG_GPIO_SYSFS: nothing to read here.
    return [];
  }
}

const readText = (path: string): string => readFileSync(path, 'utf8').trim();

function readAttributes(dir: string): { label: string; lines: number } | undefined {
  try {
    const lines = Number.parseInt(readText(join(dir, 'ngpio')), 10);
    return Number.isInteger(lines) ? { label: readText(join(dir, 'label')), lines } : undefined;
  } catch {
    return undefined;
  }
}

/** The base-numbered class entries (gpiochipB), grouped by the device they sit under, by base. */
function classEntriesByOwner(sysfsGpio: string): Map<string, ClassEntry[]> {
  const byOwner = new Map<string, ClassEntry[]>();
  for (const name of list(sysfsGpio).filter((n) => /^gpiochip\d+$/.test(n))) {
    try {
      const dir = realpathSync(join(sysfsGpio, name));
      const attrs = readAttributes(dir);
      const base = Number.parseInt(readText(join(dir, 'base')), 10);
      if (!attrs || !Number.isInteger(base)) continue;
      const owner = dirname(dirname(dir));
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), { owner, base, ...attrs }]);
    } catch {
      // An entry that vanished or cannot be read names no chip.
    }
  }
  for (const entries of byOwner.values()) entries.sort((a, b) => a.base - b.base);
  return byOwner;
}

export type SysfsPaths = Pick<HostPaths, 'dev' | 'sysBusGpio' | 'sysfsGpio'>;

/**
 * One probe per GPIO chip the kernel has (/sys/bus/gpio/devices/gpiochipN), in device-number
 * order, with the path `<dev>/gpiochipN` and, when sysfs tells it, the label and line count.
 * Nothing is opened. A chip whose label sysfs does not give has no `info` and says why.
 */
export function probeChipsInSysfs(paths: Partial<SysfsPaths> = {}): ChipProbe[] {
  const { dev, sysBusGpio, sysfsGpio } = hostPaths({ paths });
  const names = chipDeviceNames(list(sysBusGpio));
  const devices = new Map<string, string>();
  for (const name of names) {
    try {
      devices.set(name, realpathSync(join(sysBusGpio, name)));
    } catch {
      // Removed while listing: it is not there any more.
    }
  }
  const classEntries = classEntriesByOwner(sysfsGpio);
  // Chips registered by the same parent device, in device-number order: the kernel numbers
  // them and gives them bases in the order they register, so the n-th of these is the n-th
  // class entry under that parent.
  const siblings = (parent: string): string[] => names.filter((n) => devices.has(n) && dirname(devices.get(n)!) === parent);

  const probes: ChipProbe[] = [];
  for (const name of names) {
    const device = devices.get(name);
    if (device === undefined) continue;
    const path = join(dev, name);
    const byId = readAttributes(join(sysfsGpio, `chip${name.slice('gpiochip'.length)}`));
    const own = classEntries.get(device);
    const parentEntries = classEntries.get(dirname(device)) ?? [];
    const peers = siblings(dirname(device));
    const fromParent = parentEntries.length === peers.length ? parentEntries[peers.indexOf(name)] : undefined;
    const attrs = byId ?? (own?.length === 1 ? own[0] : undefined) ?? fromParent;
    if (attrs) {
      probes.push({ path, info: { name, label: attrs.label, lines: attrs.lines } });
    } else {
      probes.push({
        path,
        errorMessage: `sysfs has no label for ${name} (looked for ${sysfsGpio}/chip<N> and a gpiochip<base> entry of its device; the kernel needs CONFIG_GPIO_SYSFS)`,
      });
    }
  }
  return probes;
}
