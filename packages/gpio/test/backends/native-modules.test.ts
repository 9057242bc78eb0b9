// loadNativeModule against real directory trees: packages written to temp dirs, laid out the
// way GPIO_FLEET_NATIVE_DIR and the SEA's native-linux-<arch> directory are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/errors.js';
import {
  loadNativeModule,
  locateNativeModule,
  nativeArchDir,
  nativeCandidates,
  NATIVE_DIR_ENV,
} from '../../src/backends/native-modules.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gpio-native-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A CommonJS package whose export says where it was loaded from. */
function writePackage(nodeModulesParent: string, name: string, body = `module.exports = { from: __dirname };`): string {
  const dir = join(nodeModulesParent, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'main.js' }));
  writeFileSync(join(dir, 'main.js'), body);
  return dir;
}

const NAME = 'gpio-fleet-test-addon';

describe('nativeArchDir', () => {
  it('maps Node architectures to the SEA directory names, arm to armv7', () => {
    expect(nativeArchDir('x64')).toBe('native-linux-x64');
    expect(nativeArchDir('arm64')).toBe('native-linux-arm64');
    expect(nativeArchDir('arm')).toBe('native-linux-armv7');
    expect(nativeArchDir('ia32')).toBeUndefined();
  });
});

describe('nativeCandidates', () => {
  it('lists the env directory first, then the one beside the executable', () => {
    const c = nativeCandidates('pigpio', { env: { [NATIVE_DIR_ENV]: '/opt/native' }, execPath: '/usr/local/bin/light-sensor', arch: 'arm' });
    expect(c.map((x) => x.packageDir)).toEqual([
      '/opt/native/node_modules/pigpio',
      '/usr/local/bin/native-linux-armv7/node_modules/pigpio',
    ]);
  });

  it('skips the env step when the variable is unset', () => {
    const c = nativeCandidates('onoff', { env: {}, execPath: '/app/traffic-light', arch: 'arm64' });
    expect(c[0]?.packageDir).toBeUndefined();
    expect(c[1]?.packageDir).toBe('/app/native-linux-arm64/node_modules/onoff');
  });
});

describe('loadNativeModule', () => {
  it('loads from GPIO_FLEET_NATIVE_DIR when the package is there', () => {
    const envDir = join(root, 'env');
    const pkgDir = writePackage(envDir, NAME);
    const m = loadNativeModule<{ from: string }>(NAME, { env: { [NATIVE_DIR_ENV]: envDir }, execPath: join(root, 'bin', 'app'), arch: 'x64' });
    expect(m.from).toBe(pkgDir);
    expect(locateNativeModule(NAME, { env: { [NATIVE_DIR_ENV]: envDir }, arch: 'x64' }).source).toBe('env');
  });

  it('loads from native-linux-<arch> beside the executable, as an SEA ships it', () => {
    const execPath = join(root, 'bin', 'light-sensor');
    const pkgDir = writePackage(join(root, 'bin', 'native-linux-armv7'), NAME);
    const found = locateNativeModule(NAME, { env: {}, execPath, arch: 'arm' });
    expect(found.source).toBe('beside-executable');
    expect(found.packageDir).toBe(pkgDir);
    expect(loadNativeModule<{ from: string }>(NAME, { env: {}, execPath, arch: 'arm' }).from).toBe(pkgDir);
  });

  it('prefers the env directory over the one beside the executable', () => {
    const execPath = join(root, 'bin', 'app');
    writePackage(join(root, 'bin', 'native-linux-x64'), NAME);
    const envPkg = writePackage(join(root, 'env'), NAME);
    const m = loadNativeModule<{ from: string }>(NAME, { env: { [NATIVE_DIR_ENV]: join(root, 'env') }, execPath, arch: 'x64' });
    expect(m.from).toBe(envPkg);
  });

  it('falls through an env directory that lacks the package', () => {
    const execPath = join(root, 'bin', 'app');
    mkdirSync(join(root, 'empty'));
    const pkgDir = writePackage(join(root, 'bin', 'native-linux-x64'), NAME);
    const found = locateNativeModule(NAME, { env: { [NATIVE_DIR_ENV]: join(root, 'empty') }, execPath, arch: 'x64' });
    expect(found.packageDir).toBe(pkgDir);
  });

  it('resolves the package from this package (step 3) when neither directory has it', () => {
    // onoff is a devDependency of @gpio-fleet/gpio, so ordinary resolution finds it.
    const found = locateNativeModule('onoff', { env: {}, execPath: join(root, 'bin', 'app'), arch: 'x64' });
    expect(found.source).toBe('package-resolution');
    expect(found.packageDir).toMatch(/node_modules\/onoff$/);
  });

  it('names every path it tried and what to install when nothing is found', () => {
    const execPath = join(root, 'bin', 'app');
    const envDir = join(root, 'env');
    let err: unknown;
    try {
      loadNativeModule(NAME, { env: { [NATIVE_DIR_ENV]: envDir }, execPath, arch: 'arm64', backend: 'pigpio', installHint: 'npm install x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^pigpio backend unavailable: the npm package "gpio-fleet-test-addon" is not installed/);
    expect(msg).toContain(join(envDir, 'node_modules', NAME));
    expect(msg).toContain(join(root, 'bin', 'native-linux-arm64', 'node_modules', NAME));
    // Step 3's search path: at least this package's own node_modules.
    expect(msg).toMatch(/packages\/gpio\/node_modules\/gpio-fleet-test-addon \(package resolution\)/);
    expect(msg).toContain('npm install x');
  });

  it('turns a package that fails to load into a BackendUnavailableError with the cause', () => {
    const envDir = join(root, 'env');
    writePackage(envDir, NAME, `throw new Error('Module did not self-register: fake.node');`);
    expect(() => loadNativeModule(NAME, { env: { [NATIVE_DIR_ENV]: envDir }, arch: 'x64' })).toThrow(
      /failed to load: Module did not self-register: fake\.node\. .*npm rebuild gpio-fleet-test-addon/,
    );
  });
});
