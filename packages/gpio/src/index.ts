// Public surface of @gpio-fleet/gpio, in gpiozero's layers: pins and names, clocks,
// the pin factory (the driver contract and reservations), backends and their selection, then devices.
export * from './errors.js';
export * from './pins/header.js';
export * from './pins/parse.js';
export * from './clock/clock.js';
export * from './clock/real-clock.js';
export * from './clock/virtual-clock.js';
export * from './clock/ticks.js';
export * from './clock/schedule.js';
export * from './pin-factory/line-driver.js';
export * from './pin-factory/pin-factory.js';
export * from './backends/options.js';
export * from './backends/select.js';
// The header chip's labels and the choice by label, with sysfs probes for programs that may
// not open the chips (the device plugin).
export * from './backends/gpiochip/chip-select.js';
export * from './backends/gpiochip/sysfs-probe.js';
export type { ChipInfo } from './backends/gpiochip/addon.js';
export * from './physics/rc.js';
export * from './mock/circuit.js';
export * from './mock/led-circuit.js';
export * from './mock/rc-circuit.js';
export * from './mock/light.js';
export * from './mock/mock-driver.js';
export * from './mock/random.js';
export * from './devices/rc-light-sensor.js';
export * from './devices/light-sampler.js';
export * from './devices/traffic-lights.js';
