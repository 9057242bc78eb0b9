// What the image build needs from Debian on top of the executables' build: buildah, readelf,
// the target libraries the images copy, zstd for zstd layers, ICU's tools for English-only ICU data. Installed like the rest (../toolchain.ts), so
// `npm run build:images` and `npm run build:binaries` behave the same on a fresh machine.
import type { Log } from '@gpio-fleet/test-tools/provision';
import type { IcuData } from '../icu/trim.js';
import type { TargetArch } from '../targets.js';
import type { LayerCompression } from './compression.js';
import { ensureHostPackages, hostRequirements, type HostRequirements } from '../toolchain.js';
import type { ImagePlatform } from './platforms.js';

/** buildah, readelf and the target libraries, plus what the runtime and addon builds need. */
export interface ImageChoices {
  compression: LayerCompression;
  icu: IcuData;
}

export function imageHostPackages(platforms: readonly ImagePlatform[], choices: ImageChoices = { compression: 'gzip', icu: 'en' }): HostRequirements {
  const ship = hostRequirements(platforms.map((p): TargetArch => p.arch));
  const packages = new Set<string>(['buildah', 'binutils', ...ship.packages]);
  if (choices.compression === 'zstd') packages.add('zstd');
  if (choices.icu === 'en') packages.add('icu-devtools');
  const architectures = new Set<string>(ship.architectures);
  for (const p of platforms) {
    p.debianPackages.forEach((pkg) => packages.add(pkg));
    if (p.dpkgArchitecture) architectures.add(p.dpkgArchitecture);
  }
  return { packages: [...packages], architectures: [...architectures] };
}

export function ensureImageHostPackages(platforms: readonly ImagePlatform[], choices: ImageChoices, log: Log): void {
  ensureHostPackages(imageHostPackages(platforms, choices), log);
}
