// The forms the plugin accepts, and the ones it refuses before it touches anything.
import { describe, expect, it } from 'vitest';
import { parseDevicePath, parseLabels, parseResourceName } from '../src/options.js';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('--resource', () => {
  it.each(['gpio-fleet.io/gpiochip', 'example.com/gpio', 'a.b.c/x_y.z-1', 'squat.ai/gpio'])('accepts %s', (r) => {
    expect(parseResourceName(` ${r} `)).toBe(r);
  });

  it.each([
    ['gpiochip', 'not <domain>/<name>'],
    ['/gpiochip', 'not <domain>/<name>'],
    ['a/b/c', 'not <domain>/<name>'],
    ['Gpio-Fleet.io/gpiochip', 'is not a DNS domain'],
    ['-x.io/gpiochip', 'is not a DNS domain'],
    ['kubernetes.io/gpiochip', 'reserved'],
    ['devices.kubernetes.io/gpiochip', 'reserved'],
    ['gpio-fleet.io/', 'is not a resource name'],
    ['gpio-fleet.io/-chip', 'is not a resource name'],
    [`gpio-fleet.io/${'x'.repeat(64)}`, 'is not a resource name'],
  ])('refuses %s (%s), as the kubelet would', (r, why) => {
    expect(refusal(() => parseResourceName(r))).toContain(why);
  });
});

describe('--device-path', () => {
  it('takes a node under /dev, or its bare name', () => {
    expect(parseDevicePath('/dev/gpiochip4')).toBe('/dev/gpiochip4');
    expect(parseDevicePath('gpiochip4')).toBe('/dev/gpiochip4');
    expect(parseDevicePath('/dev//gpio-standin')).toBe('/dev/gpio-standin');
  });

  it.each(['/tmp/gpiochip0', '/dev/', '/dev/../etc/passwd', '../gpiochip0', 'dev/gpiochip0'])('refuses %s', (p) => {
    expect(refusal(() => parseDevicePath(p))).toBe('not under /dev');
  });
});

describe('--chip-labels', () => {
  it('is a comma-separated list in order, without repeats', () => {
    expect(parseLabels('pinctrl-rp1, pinctrl-bcm2711,pinctrl-rp1')).toEqual(['pinctrl-rp1', 'pinctrl-bcm2711']);
  });

  it('refuses an empty label', () => {
    expect(refusal(() => parseLabels('pinctrl-rp1,'))).toBe('empty label');
    expect(refusal(() => parseLabels(''))).toBe('empty label');
  });
});
