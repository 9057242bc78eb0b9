// The shipped arm64 and armv7 executables under qemu-user: --gpio gpiochip must get past
// loading gpiochip.node (cross-built for that CPU) and stop at the clear "no GPIO chip"
// error, since build machines have no /dev/gpiochip*. Builds the executables when missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import { binaryName, emulated, outputDirs, TARGETS, type TargetArch } from '@gpio-fleet/ship';
import { APPS, repoRoot } from '../src/guest-files.js';

const ARCHES: TargetArch[] = ['arm64', 'armv7'];
const bin = outputDirs(join(repoRoot, 'dist')).bin;

beforeAll(() => {
  const missing = ARCHES.filter((a) => APPS.some((app) => !existsSync(join(bin, binaryName(app, a)))));
  if (missing.length > 0) {
    process.stderr.write(`[qemu-user] building the ${missing.join(', ')} executables (gpio-fleet-ship binaries; several minutes)\n`);
    const r = spawnSync(process.execPath, [join(repoRoot, 'packages', 'ship', 'dist', 'cli.js'), 'binaries', '--arch', missing.join(',')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`building the ${missing.join(', ')} executables failed (exit ${r.status})`);
  }
  for (const a of ARCHES) ensureDebianPackages([...TARGETS[a].debianPackages], { architectures: [...TARGETS[a].debianArchitectures] });
}, 30 * 60_000);

describe.each(ARCHES)('linux-%s executables under qemu-user', (arch) => {
  it.each(APPS)('%s --gpio gpiochip loads the addon, then reports "no GPIO chip"', (app) => {
    const args = ['--gpio', 'gpiochip', '--host', '127.0.0.1', '--port', '0', ...(app === 'light-sensor' ? ['--once'] : ['--cycles', '1'])];
    const [cmd, cmdArgs] = emulated(TARGETS[arch], join(bin, binaryName(app, arch)), args);
    const started = Date.now();
    const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, GPIO_FLEET_NATIVE_DIR: '' } });
    process.stderr.write(`[qemu-user] ${app}-linux-${arch}: exit ${r.status} in ${Date.now() - started} ms\n`);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('gpiochip backend unavailable: no GPIO chip: /dev/gpiochip* not present');
    expect(r.stderr).toContain('Kubernetes use the device plugin');
    expect(r.stderr).not.toContain('native addon');
  });
});
