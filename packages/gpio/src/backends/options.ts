// Everything a real backend may need to know about the machine. Paths are injectable so
// tests can point them at temporary trees shaped like /proc and /sys.

export interface HostPaths {
  /** Raspberry Pi model string; absent on other machines. */
  deviceTreeModel: string;
  /** sysfs GPIO class directory (onoff). */
  sysfsGpio: string;
  /** Directory holding gpiochip character devices. */
  dev: string;
  /** Directory with sysfs entries for gpiochips (labels), normally /sys/bus/gpio/devices. */
  sysBusGpio: string;
}

export const DEFAULT_HOST_PATHS: HostPaths = {
  deviceTreeModel: '/proc/device-tree/model',
  sysfsGpio: '/sys/class/gpio',
  dev: '/dev',
  sysBusGpio: '/sys/bus/gpio/devices',
};

export interface RealBackendOptions {
  paths?: Partial<HostPaths>;
  /** gpiochip backend: chip device path or name (e.g. gpiochip0); auto-detected by label when absent. */
  chip?: string;
}

export const hostPaths = (o?: RealBackendOptions): HostPaths => ({ ...DEFAULT_HOST_PATHS, ...o?.paths });
