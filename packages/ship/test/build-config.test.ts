// The small pure decisions behind the build: targets, host packages, SEA config, cache keys.
import { describe, expect, it } from 'vitest';
import { binaryName, parseApps } from '../src/apps.js';
import { formatBytes, formatDuration, formatTable } from '../src/format.js';
import { DEFAULT_SEA_SETTINGS, seaCacheKey, seaConfig } from '../src/sea.js';
import { emulated, parseArches, TARGETS } from '../src/targets.js';
import { hostRequirements } from '../src/toolchain.js';

describe('targets', () => {
  it('parses architecture and app lists and rejects unknown names', () => {
    expect(parseArches('armv7, x64,armv7')).toEqual(['armv7', 'x64']);
    expect(() => parseArches('armv6')).toThrow(/unknown architecture "armv6".*x64, arm64, armv7/);
    expect(parseApps('traffic-light')).toEqual(['traffic-light']);
    expect(() => parseApps('light')).toThrow(/unknown app "light"/);
    expect(binaryName('light-sensor', 'armv7')).toBe('light-sensor-linux-armv7');
  });

  it('runs arm64 under qemu with the cross libc as root, armv7 with the multiarch armhf libc, x64 natively', () => {
    expect(emulated(TARGETS.x64, '/b', ['--once'])).toEqual(['/b', ['--once']]);
    expect(emulated(TARGETS.arm64, '/b', ['--once'])).toEqual(['qemu-aarch64-static', ['-L', '/usr/aarch64-linux-gnu', '/b', '--once']]);
    expect(emulated(TARGETS.armv7, '/b', [])).toEqual(['qemu-arm-static', ['/b']]);
  });

  it('lists the Debian packages each target needs, armhf ones with the foreign architecture', () => {
    const req = hostRequirements(['x64', 'armv7']);
    expect(req.architectures).toEqual(['armhf']);
    expect(req.packages).toEqual(expect.arrayContaining(['qemu-user-static', 'g++-arm-linux-gnueabihf', 'libc6:armhf', 'libatomic1:armhf']));
    expect(req.packages).not.toContain('libc6-arm64-cross');
  });
});

describe('SEA settings', () => {
  it('silences the experimental warning and embeds the code cache, without a snapshot', () => {
    expect(seaConfig('/m.cjs', '/o.blob', DEFAULT_SEA_SETTINGS)).toEqual({
      main: '/m.cjs',
      output: '/o.blob',
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache: true,
    });
  });

  it('keys cached executables on every input', () => {
    const base = { bundleSha256: 'a', runtimeIntegrity: 'sha512-x', settings: DEFAULT_SEA_SETTINGS, postject: '1', arch: 'x64' };
    const key = seaCacheKey(base);
    expect(seaCacheKey({ ...base })).toBe(key);
    expect(seaCacheKey({ ...base, bundleSha256: 'b' })).not.toBe(key);
    expect(seaCacheKey({ ...base, runtimeIntegrity: 'sha512-y' })).not.toBe(key);
    expect(seaCacheKey({ ...base, settings: { ...DEFAULT_SEA_SETTINGS, useCodeCache: false } })).not.toBe(key);
    expect(seaCacheKey({ ...base, arch: 'arm64' })).not.toBe(key);
  });
});

describe('format', () => {
  it('prints sizes and durations for progress lines', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(35_500)).toBe('34.7 KiB');
    expect(formatBytes(109_160_000)).toBe('104.1 MiB');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatTable([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\nccc  d');
  });
});
