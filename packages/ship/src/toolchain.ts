// Checks that the host has what building for the chosen targets needs, and says exactly what
// to install when it does not (the build does not install system packages itself).
import { spawnSync } from 'node:child_process';
import { TARGETS, type TargetArch } from './targets.js';

export interface HostRequirements {
  packages: string[];
  architectures: string[];
}

export function hostRequirements(arches: readonly TargetArch[]): HostRequirements {
  const packages = new Set<string>();
  const architectures = new Set<string>();
  for (const a of arches) {
    TARGETS[a].debianPackages.forEach((p) => packages.add(p));
    TARGETS[a].debianArchitectures.forEach((p) => architectures.add(p));
  }
  return { packages: [...packages], architectures: [...architectures] };
}

export function missingDebianPackages(packages: readonly string[]): string[] {
  return packages.filter(
    (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.trim() !== 'install ok installed',
  );
}

export function installCommand(req: HostRequirements, missing: readonly string[]): string {
  const addArch = req.architectures.map((a) => `dpkg --add-architecture ${a} && `).join('');
  return `${addArch}apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
}

/** Throws with the install command when a needed Debian package is missing. */
export function assertHostReady(arches: readonly TargetArch[]): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the release build runs on an x64 Linux host (this is ${process.platform}/${process.arch})`);
  }
  const req = hostRequirements(arches);
  const missing = missingDebianPackages(req.packages);
  if (missing.length > 0) {
    throw new Error(`missing Debian packages for building ${arches.join(', ')}: ${missing.join(' ')}\nInstall them (as root):\n  ${installCommand(req, missing)}`);
  }
}
