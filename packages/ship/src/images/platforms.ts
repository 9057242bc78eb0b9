// The three image platforms and where their shared libraries come from on a Debian 12 amd64
// build host: the host itself for amd64, Debian's cross sysroot for arm64 and the multiarch
// armhf packages for arm/v7. Images lay the libraries out like Debian does, so each glibc
// loader finds them on its compiled-in default path without an ld.so.cache.

import type { TargetArch } from '../targets.js';

export interface ImagePlatform {
  /** The ship build's name for the target (runtime, addons and executables use it). */
  arch: TargetArch;
  /** OCI platform fields. */
  os: 'linux';
  architecture: 'amd64' | 'arm64' | 'arm';
  variant?: 'v7';
  /** Debian multiarch triplet: libraries go to /lib/<triplet>/ inside the image. */
  triplet: string;
  /** Host directories searched, in order, for the libraries a binary of this platform needs. */
  libraryDirs: string[];
  /** Debian packages that provide libraryDirs (installed by the build when missing). */
  debianPackages: string[];
  /** dpkg foreign architecture those packages need, if any. */
  dpkgArchitecture?: string;
}

export const IMAGE_PLATFORMS: readonly ImagePlatform[] = [
  {
    arch: 'x64',
    os: 'linux',
    architecture: 'amd64',
    triplet: 'x86_64-linux-gnu',
    libraryDirs: ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'],
    // Qualified: with libc6:armhf also installed, a bare "libc6" matches both.
    debianPackages: ['libc6:amd64', 'libstdc++6:amd64', 'libgcc-s1:amd64'],
  },
  {
    arch: 'arm64',
    os: 'linux',
    architecture: 'arm64',
    triplet: 'aarch64-linux-gnu',
    libraryDirs: ['/usr/aarch64-linux-gnu/lib'],
    debianPackages: ['libc6-arm64-cross', 'libstdc++6-arm64-cross', 'libgcc-s1-arm64-cross'],
  },
  {
    arch: 'armv7',
    os: 'linux',
    architecture: 'arm',
    variant: 'v7',
    triplet: 'arm-linux-gnueabihf',
    libraryDirs: ['/usr/lib/arm-linux-gnueabihf', '/lib/arm-linux-gnueabihf'],
    debianPackages: ['libc6:armhf', 'libstdc++6:armhf', 'libgcc-s1:armhf', 'libatomic1:armhf'],
    dpkgArchitecture: 'armhf',
  },
];

/** "linux/arm/v7" style name, as used by buildah, podman and the OCI index. */
export function platformName(p: Pick<ImagePlatform, 'os' | 'architecture' | 'variant'>): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Short tag-safe name: amd64, arm64, armv7. */
export function platformTag(p: Pick<ImagePlatform, 'architecture' | 'variant'>): string {
  return `${p.architecture}${p.variant ?? ''}`;
}

export function platformByName(name: string): ImagePlatform {
  const found = IMAGE_PLATFORMS.find((p) => platformName(p) === name || platformTag(p) === name || p.arch === name);
  if (!found) {
    const accepted = IMAGE_PLATFORMS.map((p) => platformName(p)).join(', ');
    throw new Error(`unknown image platform "${name}": expected one of ${accepted}`);
  }
  return found;
}
