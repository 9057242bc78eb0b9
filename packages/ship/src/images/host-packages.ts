// The image build installs what it needs from Debian when it is missing (buildah, and the
// target libraries the images copy), printing each command, so `npm run build:images` works on
// a fresh Debian 12 machine. Needs root; fails with the exact command otherwise.
import { execFileSync } from 'node:child_process';
import type { TargetArch } from '../targets.js';
import { hostRequirements, missingDebianPackages } from '../toolchain.js';
import type { ImagePlatform } from './platforms.js';

/** buildah, readelf and the target libraries, plus what the runtime and addon builds need. */
export function imageHostPackages(platforms: readonly ImagePlatform[]): { packages: string[]; architectures: string[] } {
  const ship = hostRequirements(platforms.map((p): TargetArch => p.arch));
  const packages = new Set<string>(['buildah', 'binutils', ...ship.packages]);
  const architectures = new Set<string>(ship.architectures);
  for (const p of platforms) {
    p.debianPackages.forEach((pkg) => packages.add(pkg));
    if (p.dpkgArchitecture) architectures.add(p.dpkgArchitecture);
  }
  return { packages: [...packages], architectures: [...architectures] };
}

function sh(log: (line: string) => void, command: string, args: string[]): void {
  log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function ensureImageHostPackages(platforms: readonly ImagePlatform[], log: (line: string) => void): void {
  const { packages, architectures } = imageHostPackages(platforms);
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  log(`installing missing Debian packages: ${missing.join(' ')}`);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  const foreign = execFileSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).split('\n');
  for (const a of architectures) if (!foreign.includes(a)) sh(log, 'dpkg', ['--add-architecture', a]);
  // Wait for the dpkg lock rather than fail when another build or test is installing.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  try {
    sh(log, 'apt-get', [...lock, 'update', '-q']);
  } catch {
    // A mirror mid-sync fails one index; the install below still fails loudly if it matters.
    log('apt-get update reported errors; trying the install with the package lists it has');
  }
  sh(log, 'apt-get', [...lock, 'install', '-y', '-q', '--no-install-recommends', ...missing]);
}
