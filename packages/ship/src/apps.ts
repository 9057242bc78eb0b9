// The apps that become standalone executables and images. Ship depends on no app: each app
// declares itself in its own package.json, and ship reads the declarations:
//
//   "gpio-fleet": { "ship": { "executable": "light-sensor", "entry": "src/cli.ts", "port": 9110 } }
//
// `executable` names the binary and the image, `entry` is the TypeScript entry point (bundled
// from source, so no prior tsc build is needed), `port` the metrics port the image exposes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export type AppName = string;

export interface ShippedApp {
  name: AppName;
  /** The app's directory, e.g. <repo>/apps/light-sensor. */
  dir: string;
  /** Absolute path of the TypeScript entry point. */
  entry: string;
  /** The port the app serves on by default (the image's EXPOSE); undefined for a plain CLI. */
  port: number | undefined;
  version: string;
  description: string;
  license: string;
}

interface Declaration {
  executable?: unknown;
  entry?: unknown;
  port?: unknown;
}

/** Reads one app's declaration; throws naming the file and the field when it is malformed. */
export function readDeclaration(manifestPath: string): ShippedApp | undefined {
  const pkg = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version?: string;
    description?: string;
    license?: string;
    'gpio-fleet'?: { ship?: Declaration };
  };
  const ship = pkg['gpio-fleet']?.ship;
  if (ship === undefined) return undefined;
  const bad = (field: string, accepted: string) => new Error(`${manifestPath}: "gpio-fleet".ship.${field} is ${JSON.stringify(ship[field as keyof Declaration])}; accepted: ${accepted}`);
  if (typeof ship.executable !== 'string' || !/^[a-z][a-z0-9-]*$/.test(ship.executable)) throw bad('executable', 'a lower-case name of letters, digits and "-"');
  if (typeof ship.entry !== 'string' || !ship.entry.endsWith('.ts')) throw bad('entry', 'a .ts path relative to the package');
  if (ship.port !== undefined && !(Number.isInteger(ship.port) && (ship.port as number) > 0 && (ship.port as number) < 65536)) throw bad('port', 'an integer 1-65535');
  if (!pkg.version) throw new Error(`${manifestPath} has no version`);
  const dir = join(manifestPath, '..');
  const entry = join(dir, ship.entry);
  if (!existsSync(entry)) throw new Error(`${manifestPath}: "gpio-fleet".ship.entry ${ship.entry} does not exist`);
  return {
    name: ship.executable,
    dir,
    entry,
    port: ship.port as number | undefined,
    version: pkg.version,
    description: pkg.description ?? ship.executable,
    license: pkg.license ?? 'Apache-2.0',
  };
}

/** Every app under <root>/apps that declares itself for shipping, by name. */
export function shippedApps(root: string = repoRoot): ShippedApp[] {
  const base = join(root, 'apps');
  const out: ShippedApp[] = [];
  for (const dir of existsSync(base) ? readdirSync(base).sort() : []) {
    const manifest = join(base, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const app = readDeclaration(manifest);
    if (app) out.push(app);
  }
  const names = out.map((a) => a.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two apps declare the executable "${twice}"`);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The shipped apps of this repository, read once. */
export const APP_NAMES: readonly AppName[] = shippedApps().map((a) => a.name);

export function shippedApp(name: AppName, root: string = repoRoot): ShippedApp {
  const app = shippedApps(root).find((a) => a.name === name);
  if (!app) throw new Error(`unknown app "${name}": apps that declare "gpio-fleet".ship are ${shippedApps(root).map((a) => a.name).join(', ')}`);
  return app;
}

export function parseApps(list: string, known: readonly AppName[] = APP_NAMES): AppName[] {
  const out: AppName[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!known.includes(raw)) {
      throw new Error(`unknown app "${raw}": expected a comma-separated list of ${known.join(', ')}`);
    }
    if (!out.includes(raw)) out.push(raw);
  }
  if (out.length === 0) throw new Error('no app given');
  return out;
}

/** The app's TypeScript entry point, from its declaration. */
export function appEntry(app: AppName, root: string = repoRoot): string {
  return shippedApp(app, root).entry;
}

/** The file name of an executable in dist/bin. */
export function binaryName(app: AppName, arch: string): string {
  return `${app}-linux-${arch}`;
}
