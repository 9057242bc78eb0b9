// --once: what the plugin would hand out on this node, without a kubelet. The same discovery
// and the same Allocate answer as the running plugin, for one container holding the first
// device, as one JSON line.
import type { ContainerAllocateResponse } from './api/deviceplugin.js';
import { findChip, type ChipSettings } from './chip/find-chip.js';
import { allocate } from './plugin/allocate.js';
import { deviceIds } from './plugin/devices.js';

export interface OnceReport {
  resource: string;
  found: boolean;
  /** gpiochipN, or the node's name for --device-path. */
  chip?: string;
  label?: string | undefined;
  lines?: number | undefined;
  devices?: number;
  allocate?: ContainerAllocateResponse;
  reason?: string;
}

export function onceReport(resource: string, count: number, chip: ChipSettings): OnceReport {
  const state = findChip(chip);
  if (state.kind === 'missing') return { resource, found: false, reason: state.reason };
  const ids = deviceIds(resource, count);
  const [response] = allocate({ containerRequests: [{ devicesIds: ids.slice(0, 1) }] }, ids, state).containerResponses;
  return { resource, found: true, chip: state.name, label: state.label, lines: state.lines, devices: ids.length, allocate: response! };
}
