// Debian provisioning on this machine's real dpkg and apt: the command it would run, the error
// for a user who is not root, and an install as root (of `hello`, removed again afterwards).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { debianInstallCommand, ensureDebianPackages, isDebianPackageInstalled, missingDebianPackages } from '../src/provision/debian.js';

const PACKAGE = 'hello'; // tiny, and nothing in the project uses it
const ABSENT = 'gpio-fleet-not-a-package';
const removeIt = () => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'remove', '-y', '-q', PACKAGE], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

describe('Debian provisioning', () => {
  afterAll(() => {
    removeIt();
  });

  it('writes one command that adds the architectures, updates and installs', () => {
    expect(debianInstallCommand(['libc6:armhf', 'qemu-user-static'], ['armhf'])).toBe(
      'dpkg --add-architecture armhf && apt-get update && apt-get install -y --no-install-recommends libc6:armhf qemu-user-static',
    );
    expect(debianInstallCommand(['wrk'])).toBe('apt-get update && apt-get install -y --no-install-recommends wrk');
  });

  it('sees what dpkg has', () => {
    expect(isDebianPackageInstalled('dpkg')).toBe(true);
    expect(missingDebianPackages(['dpkg', 'no-such-package-gpio-fleet', 'dpkg'])).toEqual(['no-such-package-gpio-fleet']);
  });

  it('when not root, fails with the exact command instead of installing', () => {
    const debian = fileURLToPath(new URL('../dist/provision/debian.js', import.meta.url));
    const script = `import { ensureDebianPackages } from ${JSON.stringify(debian)};
      try { ensureDebianPackages([${JSON.stringify(ABSENT)}, 'dpkg'], { architectures: ['mipsel'] }); console.log('no error'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `DebianPackagesMissing: missing Debian packages: ${ABSENT}\ninstalling them needs root; run:\n` +
        `  sudo sh -c 'dpkg --add-architecture mipsel && apt-get update && apt-get install -y --no-install-recommends ${ABSENT}'\n`,
    );
  });

  it('as root, installs what is missing and prints each command', () => {
    expect(process.getuid?.()).toBe(0);
    removeIt();
    const lines: string[] = [];
    ensureDebianPackages([PACKAGE, 'dpkg'], { log: (l) => lines.push(l) });
    expect(isDebianPackageInstalled(PACKAGE)).toBe(true);
    expect(spawnSync(PACKAGE, [], { encoding: 'utf8' }).stdout).toContain('Hello, world!');
    expect(lines).toContain(`installing missing Debian packages: ${PACKAGE}`);
    expect(lines).toContain(`$ apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends ${PACKAGE}`);
    expect(lines.some((l) => l.startsWith('$ apt-get -o DPkg::Lock::Timeout=600 update'))).toBe(true);

    // Nothing missing: nothing run.
    lines.length = 0;
    ensureDebianPackages([PACKAGE]);
    expect(lines).toEqual([]);
  });
});
