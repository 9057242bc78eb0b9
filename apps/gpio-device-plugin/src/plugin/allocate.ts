// What a container that was given the chip gets: the chip's node at the same path as on the
// host, read-write (the runtime adds the device-cgroup rule that lets it open the node), and
// GPIO_CHIP naming that node, so the app's gpiochip backend opens exactly it without a label
// check of its own. Nothing else: no mounts, no other variables, nothing the app would then
// have to undo.
import { status } from '@grpc/grpc-js';
import type { AllocateRequest, AllocateResponse, ContainerAllocateResponse } from '../api/deviceplugin.js';
import type { ChipState } from '../chip/find-chip.js';

/** The variable the gpiochip backend reads (--gpio-chip / GPIO_CHIP). */
export const CHIP_ENV = 'GPIO_CHIP';
/** Read and write; no mknod. */
export const DEVICE_PERMISSIONS = 'rw';

/** An Allocate the plugin refuses, with the gRPC status the kubelet reports. */
export class AllocateError extends Error {
  override readonly name = 'AllocateError';
  constructor(
    message: string,
    readonly code: status,
  ) {
    super(message);
  }
}

export function allocate(request: AllocateRequest, ids: readonly string[], chip: ChipState): AllocateResponse {
  if (request.containerRequests.length === 0) throw new AllocateError('Allocate named no container', status.INVALID_ARGUMENT);
  const known = new Set(ids);
  for (const { devicesIds } of request.containerRequests) {
    if (devicesIds.length === 0) throw new AllocateError('Allocate named a container without devices', status.INVALID_ARGUMENT);
    const unknown = devicesIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new AllocateError(`unknown device ${unknown.join(', ')}; this plugin has ${ids.join(', ')}`, status.NOT_FOUND);
    }
  }
  if (chip.kind !== 'found') throw new AllocateError(`the GPIO chip is not available: ${chip.reason}`, status.FAILED_PRECONDITION);
  // However many shares a container asked for, it gets the one node once.
  const response: ContainerAllocateResponse = {
    envs: { [CHIP_ENV]: chip.hostPath },
    mounts: [],
    devices: [{ containerPath: chip.hostPath, hostPath: chip.hostPath, permissions: DEVICE_PERMISSIONS }],
    annotations: {},
    cdiDevices: [],
  };
  return { containerResponses: request.containerRequests.map(() => structuredClone(response)) };
}
