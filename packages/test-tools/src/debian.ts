// Tests use real tools. When one is missing, install it from Debian; when that fails,
// fail loudly: a suite must never skip silently because a tool is absent.
import { execFileSync, spawnSync } from 'node:child_process';

let updated = false;

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function apt(args: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for the dpkg lock instead of failing when another suite is installing in parallel.
  const res = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr || res.stdout}`);
  }
}

/** Make sure the Debian packages are installed (apt-get update once per process). */
export function ensureDebianPackages(packages: string[], options: { architectures?: string[] } = {}): void {
  const missing = packages.filter(
    (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout.trim() !== 'install ok installed',
  );
  if (missing.length === 0) return;
  for (const arch of options.architectures ?? []) {
    const have = execFileSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).split('\n');
    if (!have.includes(arch)) {
      execFileSync('dpkg', ['--add-architecture', arch]);
      updated = false;
    }
  }
  process.stderr.write(`[test-tools] installing Debian packages: ${missing.join(' ')}\n`);
  if (!updated) {
    // One stale index (a mirror mid-sync) fails `update` as a whole while every other list
    // refreshed fine; carry on and let the install itself decide.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        apt(['update', '-q']);
        break;
      } catch (err) {
        process.stderr.write(`[test-tools] warning: apt-get update attempt ${attempt} failed: ${(err as Error).message.split('\n')[0]}\n`);
        if (attempt < 3) spawnSync('sleep', ['10']);
      }
    }
    updated = true;
  }
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
}

/** Make sure `command` is on PATH, installing `debianPackage` if needed; throws when impossible. */
export function ensureCommand(command: string, debianPackage: string): string {
  if (!hasCommand(command)) ensureDebianPackages([debianPackage]);
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`required tool "${command}" is missing and installing Debian package "${debianPackage}" did not provide it`);
  }
  return found.stdout.trim();
}
