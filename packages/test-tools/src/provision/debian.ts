// Debian packages the tests and the release build need. Missing ones are installed when this
// process is root (each command printed before it runs); otherwise the error gives the exact
// command to run. Tests and builds never go on without a tool they need.
import { spawnSync } from 'node:child_process';
import { stderrLog, type Log } from './log.js';

export interface DebianInstallOptions {
  /** Foreign dpkg architectures the packages need (e.g. armhf for libc6:armhf). */
  architectures?: readonly string[];
  log?: Log;
}

/** Thrown when packages are missing and this process cannot install them. */
export class DebianPackagesMissing extends Error {
  constructor(
    readonly packages: readonly string[],
    readonly command: string,
    reason: string,
  ) {
    super(`missing Debian packages: ${packages.join(' ')}\n${reason}:\n  ${command}`);
    this.name = 'DebianPackagesMissing';
  }
}

// Wait for the dpkg lock rather than fail when another suite or build is installing.
const LOCK = ['-o', 'DPkg::Lock::Timeout=600'];
let listsUpdated = false;

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function isDebianPackageInstalled(pkg: string): boolean {
  const q = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return q.stdout?.trim() === 'install ok installed';
}

export function missingDebianPackages(packages: readonly string[]): string[] {
  return [...new Set(packages)].filter((p) => !isDebianPackageInstalled(p));
}

/** The architectures dpkg does not know yet (the native one always counts as known). */
export function missingArchitectures(architectures: readonly string[]): string[] {
  if (architectures.length === 0) return [];
  const read = (flag: string) => spawnSync('dpkg', [flag], { encoding: 'utf8' }).stdout?.split('\n').map((s) => s.trim()) ?? [];
  const known = new Set([...read('--print-architecture'), ...read('--print-foreign-architectures')]);
  return [...new Set(architectures)].filter((a) => !known.has(a));
}

/** Whether apt knows an installable version of `pkg` (the archive may not carry it). */
export function debianHasCandidate(pkg: string): boolean {
  const out = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' }).stdout ?? '';
  const candidate = /Candidate:\s*(\S+)/.exec(out)?.[1];
  return candidate !== undefined && candidate !== '(none)';
}

/** The one shell command that installs `packages`, adding `architectures` to dpkg first. */
export function debianInstallCommand(packages: readonly string[], architectures: readonly string[] = []): string {
  const addArch = architectures.map((a) => `dpkg --add-architecture ${a} && `).join('');
  return `${addArch}apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function run(log: Log, command: string, args: readonly string[]): void {
  log(`$ ${command} ${args.join(' ')}`);
  // apt's own output goes to stderr: stdout may carry the caller's report.
  const res = spawnSync(command, args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (res.error) throw new Error(`cannot run ${command}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit ${res.status ?? res.signal}; its output is above`);
}

function updateLists(log: Log): void {
  // One stale index (a mirror mid-sync) fails `update` as a whole while every other list
  // refreshed fine: retry, then let the install itself decide.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      run(log, 'apt-get', [...LOCK, 'update', '-q']);
      break;
    } catch (e) {
      log(`warning: apt-get update attempt ${attempt} of 3 failed: ${(e as Error).message}`);
      if (attempt < 3) spawnSync('sleep', ['10']);
    }
  }
  listsUpdated = true;
}

/**
 * Make sure the Debian packages are installed. As root, installs the missing ones (adding the
 * foreign architectures first, `apt-get update` once per process), printing each command.
 * Otherwise throws DebianPackagesMissing with the command to run as root.
 */
export function ensureDebianPackages(packages: readonly string[], options: DebianInstallOptions = {}): void {
  const log = options.log ?? stderrLog;
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  const architectures = missingArchitectures(options.architectures ?? []);
  const command = debianInstallCommand(missing, architectures);
  if (process.getuid?.() !== 0) throw new DebianPackagesMissing(missing, `sudo sh -c '${command}'`, 'installing them needs root; run');
  if (!hasCommand('apt-get')) throw new DebianPackagesMissing(missing, command, 'there is no apt-get here (not a Debian-like system); install the equivalent packages, on Debian with');
  log(`installing missing Debian packages: ${missing.join(' ')}`);
  for (const a of architectures) {
    run(log, 'dpkg', ['--add-architecture', a]);
    listsUpdated = false;
  }
  if (!listsUpdated) updateLists(log);
  run(log, 'apt-get', [...LOCK, 'install', '-y', '-q', '--no-install-recommends', ...missing]);
  const still = missingDebianPackages(missing);
  if (still.length > 0) throw new Error(`apt-get install reported success but these are still not installed: ${still.join(' ')}`);
}

/** Make sure `command` is on PATH, installing `debianPackage` if needed; returns its path. */
export function ensureCommand(command: string, debianPackage: string, options: { log?: Log } = {}): string {
  if (!hasCommand(command)) ensureDebianPackages([debianPackage], options);
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`required tool "${command}" is missing and installing Debian package "${debianPackage}" did not provide it`);
  }
  return found.stdout.trim();
}
