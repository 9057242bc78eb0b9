// The npm pigpio package compiles its addon only when the pigpio C library is present at
// install time; otherwise it builds an empty module, and requiring pigpio.js prints a large
// warning box and leaves every call throwing "is not a function". Loading the addon ourselves
// first turns each such case into one actionable sentence, before pigpio.js is ever required.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailableError } from '../../errors.js';
import type { LocatedNativeModule } from '../native-modules.js';

/** Where the `bindings` package looks for pigpio.node, in its order (the common locations). */
export const ADDON_LOCATIONS = [
  'build/pigpio.node',
  'build/Debug/pigpio.node',
  'build/Release/pigpio.node',
  'out/Debug/pigpio.node',
  'Debug/pigpio.node',
  'out/Release/pigpio.node',
  'Release/pigpio.node',
  'build/default/pigpio.node',
] as const;

const INSTALL_LIBRARY =
  'Install the pigpio C library on the Pi (Raspberry Pi OS: sudo apt install pigpio; it is not in Debian, ' +
  'so elsewhere build it from the pigpio source with make && sudo make install), then rebuild the addon: npm rebuild pigpio.';

/** Functions the addon exports when it was compiled against the library. */
const REQUIRED_EXPORTS = ['gpioInitialise', 'gpioTick', 'gpioSetAlertFunc'] as const;

/** Explain an error thrown while loading pigpio.node. */
export function addonLoadFailure(addonPath: string, err: unknown): BackendUnavailableError {
  const msg = err instanceof Error ? err.message : String(err);
  let why: string;
  if (/did not self-register/i.test(msg)) {
    why =
      `the pigpio addon (${addonPath}) was built without the pigpio C library, so it is empty. ` +
      'This is expected on a machine that is not a Raspberry Pi (use --gpio mock there). ' +
      INSTALL_LIBRARY;
  } else if (/libpigpio[^:]*: cannot open shared object file/i.test(msg)) {
    why = `the pigpio addon (${addonPath}) needs libpigpio, which is not installed: ${msg}. ${INSTALL_LIBRARY}`;
  } else if (/invalid ELF header|wrong ELF class|ELF file's OS ABI|cannot execute binary/i.test(msg)) {
    why =
      `the pigpio addon (${addonPath}) cannot be loaded on this ${process.arch} machine (${msg}). ` +
      'It was probably built for another architecture; rebuild it on (or for) this one: npm rebuild pigpio.';
  } else if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/i.test(msg)) {
    why = `the pigpio addon (${addonPath}) was built for another Node.js version (${msg}). Rebuild it: npm rebuild pigpio.`;
  } else {
    why = `the pigpio addon (${addonPath}) failed to load: ${msg}. ${INSTALL_LIBRARY}`;
  }
  return new BackendUnavailableError('pigpio', why, { cause: err });
}

/** Load pigpio.node from the located package, or throw BackendUnavailableError saying why not. */
export function probePigpioAddon(pkg: LocatedNativeModule): void {
  const rel = ADDON_LOCATIONS.find((p) => existsSync(join(pkg.packageDir, p)));
  if (rel === undefined) {
    throw new BackendUnavailableError(
      'pigpio',
      `the npm package pigpio at ${pkg.packageDir} has no compiled addon (looked for ${ADDON_LOCATIONS.join(', ')}). ` +
        `Its install script did not run or failed. ${INSTALL_LIBRARY}`,
    );
  }
  const addonPath = join(pkg.packageDir, rel);
  let addon: unknown;
  try {
    addon = pkg.require(addonPath);
  } catch (err) {
    throw addonLoadFailure(addonPath, err);
  }
  const missing = REQUIRED_EXPORTS.filter((f) => typeof (addon as Record<string, unknown> | null)?.[f] !== 'function');
  if (missing.length > 0) {
    throw new BackendUnavailableError(
      'pigpio',
      `the pigpio addon (${addonPath}) lacks ${missing.join(', ')}: it was built without the pigpio C library. ${INSTALL_LIBRARY}`,
    );
  }
}
