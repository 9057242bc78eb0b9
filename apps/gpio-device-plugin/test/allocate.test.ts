// Allocate's answer, decided from the request and the chip: the node at the host's path, rw,
// and GPIO_CHIP; nothing else; and refusals that name what was wrong.
import { describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { allocate, AllocateError } from '../src/plugin/allocate.js';
import { deviceIds, deviceList } from '../src/plugin/devices.js';
import type { ChipState } from '../src/chip/find-chip.js';

const PI5: ChipState = { kind: 'found', hostPath: '/dev/gpiochip4', name: 'gpiochip4', label: 'pinctrl-rp1', lines: 54 };
const ids = deviceIds('gpio-fleet.io/gpiochip', 8);

function refusal(f: () => unknown): AllocateError {
  try {
    f();
  } catch (err) {
    if (err instanceof AllocateError) return err;
    throw err;
  }
  throw new Error('no refusal');
}

describe('device IDs', () => {
  it('are count shares named after the resource, not the chip number', () => {
    expect(ids).toEqual(['gpiochip-0', 'gpiochip-1', 'gpiochip-2', 'gpiochip-3', 'gpiochip-4', 'gpiochip-5', 'gpiochip-6', 'gpiochip-7']);
    expect(deviceIds('example.com/gpio', 2)).toEqual(['gpio-0', 'gpio-1']);
  });

  it('are all healthy with the chip and all unhealthy without it', () => {
    expect(new Set(deviceList(ids, PI5).map((d) => d.health))).toEqual(new Set(['Healthy']));
    expect(new Set(deviceList(ids, { kind: 'missing', reason: 'gone' }).map((d) => d.health))).toEqual(new Set(['Unhealthy']));
  });
});

describe('allocate', () => {
  it('gives the chip node at the path the app expects, rw, and GPIO_CHIP naming it; nothing else', () => {
    expect(allocate({ containerRequests: [{ devicesIds: ['gpiochip-3'] }] }, ids, PI5)).toEqual({
      containerResponses: [
        {
          envs: { GPIO_CHIP: '/dev/gpiochip4' },
          mounts: [],
          devices: [{ containerPath: '/dev/gpiochip4', hostPath: '/dev/gpiochip4', permissions: 'rw' }],
          annotations: {},
          cdiDevices: [],
        },
      ],
    });
  });

  it('answers every container, in order, with the one node however many shares it holds', () => {
    const r = allocate({ containerRequests: [{ devicesIds: ['gpiochip-0', 'gpiochip-1'] }, { devicesIds: ['gpiochip-2'] }] }, ids, PI5);
    expect(r.containerResponses.map((c) => c.devices)).toEqual([
      [{ containerPath: '/dev/gpiochip4', hostPath: '/dev/gpiochip4', permissions: 'rw' }],
      [{ containerPath: '/dev/gpiochip4', hostPath: '/dev/gpiochip4', permissions: 'rw' }],
    ]);
    expect(r.containerResponses[0]).not.toBe(r.containerResponses[1]);
  });

  it('hands out an explicit --device-path node the same way', () => {
    const standIn: ChipState = { kind: 'found', hostPath: '/dev/gpio-standin', name: 'gpio-standin', label: undefined, lines: undefined };
    const [c] = allocate({ containerRequests: [{ devicesIds: ['gpiochip-0'] }] }, ids, standIn).containerResponses;
    expect(c?.envs).toEqual({ GPIO_CHIP: '/dev/gpio-standin' });
    expect(c?.devices).toEqual([{ containerPath: '/dev/gpio-standin', hostPath: '/dev/gpio-standin', permissions: 'rw' }]);
  });

  it('refuses IDs it never advertised, naming them (NOT_FOUND)', () => {
    const e = refusal(() => allocate({ containerRequests: [{ devicesIds: ['gpiochip-0', 'gpiochip9', 'gpu-0'] }] }, ids, PI5));
    expect(e.code).toBe(status.NOT_FOUND);
    expect(e.message).toMatch(/^unknown device gpiochip9, gpu-0; this plugin has gpiochip-0, /);
  });

  it('refuses while the chip is missing, with the reason (FAILED_PRECONDITION)', () => {
    const e = refusal(() => allocate({ containerRequests: [{ devicesIds: ['gpiochip-0'] }] }, ids, { kind: 'missing', reason: '/dev/gpiochip0 does not exist' }));
    expect(e.code).toBe(status.FAILED_PRECONDITION);
    expect(e.message).toBe('the GPIO chip is not available: /dev/gpiochip0 does not exist');
  });

  it('refuses a request without containers or without devices (INVALID_ARGUMENT)', () => {
    expect(refusal(() => allocate({ containerRequests: [] }, ids, PI5)).code).toBe(status.INVALID_ARGUMENT);
    expect(refusal(() => allocate({ containerRequests: [{ devicesIds: [] }] }, ids, PI5)).code).toBe(status.INVALID_ARGUMENT);
  });
});
