// The part of the npm `onoff` package (6.x) this backend uses, typed here because the package
// is an optional peer dependency. onoff works on /sys/class/gpio only (the path is fixed in it).

export type OnoffDirection = 'in' | 'out' | 'high' | 'low';
export type OnoffEdge = 'none' | 'rising' | 'falling' | 'both';
/** onoff's watch callback: the level read after the interrupt, and no timestamp. */
export type OnoffValueCallback = (err: Error | null | undefined, value: number) => void;

export interface OnoffGpio {
  readSync(): number;
  writeSync(value: number): void;
  setDirection(direction: OnoffDirection): void;
  setEdge(edge: OnoffEdge): void;
  watch(callback: OnoffValueCallback): void;
  unwatch(callback?: OnoffValueCallback): void;
  unwatchAll(): void;
  /** Stops watching, closes the value file and writes the number to unexport. */
  unexport(): void;
}

export interface OnoffGpioOptions {
  activeLow?: boolean;
  reconfigureDirection?: boolean;
}

export interface OnoffModule {
  readonly Gpio: new (gpio: number, direction: OnoffDirection, edge?: OnoffEdge, options?: OnoffGpioOptions) => OnoffGpio;
}

/** Where onoff itself reads and writes; it cannot be changed. */
export const ONOFF_SYSFS_GPIO = '/sys/class/gpio';
