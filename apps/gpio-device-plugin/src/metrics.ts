// The plugin's own metric families: what it advertises, whether the kubelet knows it, and what
// it handed out. Process metrics come from the runtime's Exposition.
import { Counter, Gauge, type Registry } from '@gpio-fleet/runtime';
import { HEALTHY, UNHEALTHY, type Device } from './api/deviceplugin.js';
import type { ChipState } from './chip/find-chip.js';

export interface PluginMetrics {
  /** The advertised devices by health. */
  devices(list: readonly Device[]): void;
  /** The chip the devices stand for (none while it is missing). */
  chip(resource: string, state: ChipState): void;
  registered(yes: boolean): void;
  registration(result: 'ok' | 'error'): void;
  allocation(result: 'ok' | 'error'): void;
}

export function createPluginMetrics(registry: Registry): PluginMetrics {
  const devices = new Gauge({
    name: 'gpio_device_plugin_devices',
    help: 'Devices (shares of the GPIO chip) advertised to the kubelet, by health; only healthy ones are allocatable.',
    labelNames: ['health'],
    registers: [registry],
  });
  const chipInfo = new Gauge({
    name: 'gpio_device_plugin_chip_info',
    help: 'The device node the resource stands for (1), with the label it was found by; no series while the chip is missing.',
    labelNames: ['resource', 'path', 'chip', 'label'],
    registers: [registry],
  });
  const registered = new Gauge({
    name: 'gpio_device_plugin_registered',
    help: '1 while the plugin is registered with the kubelet, 0 while it is not (kubelet down or restarted, registration failing).',
    registers: [registry],
  });
  const registrations = new Counter({
    name: 'gpio_device_plugin_registrations_total',
    help: 'Register calls to the kubelet, by result (one ok per kubelet start).',
    labelNames: ['result'],
    registers: [registry],
  });
  const allocations = new Counter({
    name: 'gpio_device_plugin_allocations_total',
    help: 'Containers given the chip (ok) or refused (error) by Allocate.',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const result of ['ok', 'error']) {
    registrations.labels(result).inc(0);
    allocations.labels(result).inc(0);
  }
  registered.set(0);
  return {
    devices(list) {
      devices.labels(HEALTHY).set(list.filter((d) => d.health === HEALTHY).length);
      devices.labels(UNHEALTHY).set(list.filter((d) => d.health === UNHEALTHY).length);
    },
    chip(resource, state) {
      chipInfo.reset();
      if (state.kind === 'found') chipInfo.labels(resource, state.hostPath, state.name, state.label ?? '').set(1);
    },
    registered: (yes) => registered.set(yes ? 1 : 0),
    registration: (result) => registrations.labels(result).inc(),
    allocation: (result) => allocations.labels(result).inc(),
  };
}
