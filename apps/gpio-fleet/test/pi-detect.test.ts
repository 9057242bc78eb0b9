import { describe, expect, it } from 'vitest';
import { detectPi } from '../src/model/pi-detect.js';

describe('Raspberry Pi detection from nodeInfo', () => {
  it.each([
    ['6.6.31+rpt-rpi-v8', 'Debian GNU/Linux 12 (bookworm)'],
    ['6.6.31+rpt-rpi-v7l', 'Raspbian GNU/Linux 12 (bookworm)'],
    ['6.6.51+rpt-rpi-2712', 'Debian GNU/Linux 12 (bookworm)'],
    ['6.6.31+rpt-rpi-v6', 'Raspbian GNU/Linux 12 (bookworm)'],
    ['6.1.0-rpi7-rpi-v8', 'Debian GNU/Linux 12 (bookworm)'],
    ['5.10.103-v7l+', 'Raspbian GNU/Linux 11 (bullseye)'],
    ['5.15.84-v8+', 'Debian GNU/Linux 11 (bullseye)'],
    ['5.10.63-v7+', 'Raspbian GNU/Linux 10 (buster)'],
    ['5.15.0-1034-raspi', 'Ubuntu 22.04.3 LTS'],
    // A 32-bit Raspberry Pi OS with a custom kernel is still recognised by its OS image.
    ['6.6.0-custom', 'Raspbian GNU/Linux 12 (bookworm)'],
  ])('kernel %s on %s is a Pi', (kernelVersion, osImage) => {
    expect(detectPi({ kernelVersion, osImage }).pi).toBe(true);
  });

  it.each([
    ['6.1.0-26-amd64', 'Debian GNU/Linux 12 (bookworm)'],
    ['6.1.0-26-cloud-arm64', 'Debian GNU/Linux 12 (bookworm)'],
    ['6.8.0-1012-aws', 'Ubuntu 24.04 LTS'],
    ['5.15.0-1034-raspi-extra', 'Ubuntu 22.04.3 LTS'],
    ['6.6.31-v8', 'Debian GNU/Linux 12 (bookworm)'],
    ['', ''],
  ])('kernel "%s" on "%s" is not a Pi', (kernelVersion, osImage) => {
    expect(detectPi({ kernelVersion, osImage }).pi).toBe(false);
  });

  it('says which part of the rule matched', () => {
    expect(detectPi({ kernelVersion: '6.6.31+rpt-rpi-v8' }).reason).toBe('kernel +rpt-rpi-');
    expect(detectPi({ kernelVersion: 'x', osImage: 'Raspbian GNU/Linux 12 (bookworm)' }).reason).toBe('osImage Raspbian');
    expect(detectPi(undefined).pi).toBe(false);
  });
});
