// A directory tree shaped like a machine's sysfs and /dev for its GPIO chips, for tests of code
// that finds chips without opening them. It has what the kernel has, links included:
//
//   sys/devices/<parent>/gpiochipN/dev                    the chip (a gpio_device)
//   sys/bus/gpio/devices/gpiochipN -> the above
//   sys/devices/<parent>/gpio/gpiochip<base>/{base,label,ngpio}   CONFIG_GPIO_SYSFS
//   sys/class/gpio/gpiochip<base> -> the above
//   sys/devices/<parent>/gpio/chipN/{label,ngpio}          newer kernels, when byNumber
//   sys/class/gpio/chipN -> the above
//   dev/gpiochipN -> /dev/null                             a character device nobody needs root for
//
// A chip without a parent device has its class entries under its own directory instead.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface FakeGpioChip {
  /** N of /dev/gpiochipN. */
  number: number;
  label: string;
  lines: number;
  /** The legacy class entry's global base (gpiochip<base>); undefined: no such entry. */
  base?: number;
  /** The parent device under sys/devices, e.g. platform/soc/fe200000.gpio; null: none. */
  parent?: string | null;
  /** Also the per-number class entry chipN of newer kernels. */
  byNumber?: boolean;
  /** Create dev/gpiochipN (default true). */
  node?: boolean;
}

export interface FakeGpioTree {
  sys: string;
  dev: string;
  /** The paths @gpio-fleet/gpio's HostPaths names. */
  paths: { dev: string; sysBusGpio: string; sysfsGpio: string };
}

function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(relative(dirname(at), target), at);
}

function attributes(dir: string, values: Record<string, string | number>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(values)) writeFileSync(join(dir, name), `${value}\n`);
}

/** Writes the chips under root/sys and root/dev (both created); returns their paths. */
export function writeFakeGpioTree(root: string, chips: readonly FakeGpioChip[]): FakeGpioTree {
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  const paths = { dev, sysBusGpio: join(sys, 'bus/gpio/devices'), sysfsGpio: join(sys, 'class/gpio') };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });
  for (const chip of chips) {
    const name = `gpiochip${chip.number}`;
    const parent = chip.parent === undefined ? `platform/${chip.label}.${chip.number}` : chip.parent;
    const device = join(sys, 'devices', parent ?? `virtual/gpio/${name}`, parent === null ? '' : name);
    attributes(device, { dev: `254:${chip.number}` });
    link(device, join(paths.sysBusGpio, name));
    // The kernel puts the class entries under the chip's parent device, or the chip itself.
    const owner = parent === null ? device : dirname(device);
    if (chip.base !== undefined) {
      const entry = join(owner, 'gpio', `gpiochip${chip.base}`);
      attributes(entry, { base: chip.base, label: chip.label, ngpio: chip.lines });
      link(entry, join(paths.sysfsGpio, `gpiochip${chip.base}`));
    }
    if (chip.byNumber) {
      const entry = join(owner, 'gpio', `chip${chip.number}`);
      attributes(entry, { label: chip.label, ngpio: chip.lines });
      link(entry, join(paths.sysfsGpio, `chip${chip.number}`));
    }
    if (chip.node ?? true) symlinkSync('/dev/null', join(dev, name));
  }
  return { sys, dev, paths };
}
