// `npm run build:binaries` and `npm run build:images` check the host the same way: what each
// needs, installed when root, and otherwise the exact command, from one implementation.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageHostPackages } from '../src/images/host-packages.js';
import { platformByName } from '../src/images/platforms.js';
import { hostRequirements } from '../src/toolchain.js';

describe('host packages', () => {
  it('the image build needs what the executables need, plus buildah and readelf', () => {
    const images = imageHostPackages([platformByName('linux/arm/v7')]);
    const binaries = hostRequirements(['armv7']);
    expect(images.packages).toEqual(expect.arrayContaining([...binaries.packages, 'buildah', 'binutils']));
    expect(images.architectures).toEqual(expect.arrayContaining(binaries.architectures));
  });

  it('zstd layers add Debian\'s zstd, and only they do', () => {
    const arm64 = [platformByName('arm64')];
    expect(imageHostPackages(arm64, { compression: 'zstd', icu: 'en' }).packages).toContain('zstd');
    expect(imageHostPackages(arm64, { compression: 'gzip', icu: 'en' }).packages).not.toContain('zstd');
  });

  it("English-only ICU data adds ICU's tools (icupkg, genrb), and only it does", () => {
    const arm64 = [platformByName('arm64')];
    expect(imageHostPackages(arm64).packages).toContain('icu-devtools');
    expect(imageHostPackages(arm64, { compression: 'gzip', icu: 'full' }).packages).not.toContain('icu-devtools');
  });

  it('a user who is not root gets the command to run, and nothing is installed', () => {
    const toolchain = fileURLToPath(new URL('../dist/toolchain.js', import.meta.url));
    const script = `import { ensureHostPackages } from ${JSON.stringify(toolchain)};
      try { ensureHostPackages({ packages: ['gpio-fleet-not-a-package', 'dpkg'], architectures: [] }, console.log); console.log('no error'); } catch (e) { console.log(e.message); }`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout).toBe("missing Debian packages: gpio-fleet-not-a-package\ninstalling them needs root; run:\n  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends gpio-fleet-not-a-package'\n");
  });
});
