// What the host needs to build for the chosen targets (cross toolchains, qemu, target
// libraries), and making sure it has it: missing Debian packages are installed when the build
// runs as root, each command printed; otherwise the build stops with the exact command to run.
// The installing itself is @gpio-fleet/test-tools' (one implementation for tests and builds).
import { ensureDebianPackages, type Log } from '@gpio-fleet/test-tools/provision';
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

/** Installs (as root) or names (otherwise) what `req` lacks; throws when the host cannot build. */
export function ensureHostPackages(req: HostRequirements, log: Log): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the release build runs on an x64 Linux host (this is ${process.platform}/${process.arch})`);
  }
  ensureDebianPackages(req.packages, { architectures: req.architectures, log });
}

export function ensureHostReady(arches: readonly TargetArch[], log: Log): void {
  ensureHostPackages(hostRequirements(arches), log);
}
