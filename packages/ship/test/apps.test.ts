// Ship finds the apps it bundles in the apps' own declarations, not in a list of its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_NAMES, parseApps, shippedApps } from '../src/apps.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function repoWith(apps: Record<string, object>): string {
  root = mkdtempSync(join(tmpdir(), 'ship-apps-'));
  for (const [dir, pkg] of Object.entries(apps)) {
    mkdirSync(join(root, 'apps', dir, 'src'), { recursive: true });
    writeFileSync(join(root, 'apps', dir, 'src', 'cli.ts'), '');
    writeFileSync(join(root, 'apps', dir, 'package.json'), JSON.stringify({ version: '1.2.3', ...pkg }));
  }
  return root;
}

describe('shipped apps', () => {
  it('are the apps of this repository that declare "gpio-fleet".ship', () => {
    expect(APP_NAMES).toEqual(['gpio-device-plugin', 'gpio-fleet', 'light-sensor', 'traffic-light']);
  });

  it('reads each declaration; apps without one are not shipped', () => {
    const r = repoWith({
      sensor: { description: 'A sensor.', 'gpio-fleet': { ship: { executable: 'sensor', entry: 'src/cli.ts', port: 9200 } } },
      tool: { 'gpio-fleet': { ship: { executable: 'tool', entry: 'src/cli.ts' } } },
      library: {},
    });
    expect(shippedApps(r).map((a) => ({ name: a.name, port: a.port, version: a.version, entry: a.entry.slice(r.length) }))).toEqual([
      { name: 'sensor', port: 9200, version: '1.2.3', entry: '/apps/sensor/src/cli.ts' },
      { name: 'tool', port: undefined, version: '1.2.3', entry: '/apps/tool/src/cli.ts' },
    ]);
  });

  it.each([
    [{ executable: 'Bad Name', entry: 'src/cli.ts' }, /ship\.executable is "Bad Name"; accepted: a lower-case name/],
    [{ executable: 'x', entry: 'src/cli.js' }, /ship\.entry is "src\/cli\.js"; accepted: a \.ts path/],
    [{ executable: 'x', entry: 'src/missing.ts' }, /ship\.entry src\/missing\.ts does not exist/],
    [{ executable: 'x', entry: 'src/cli.ts', port: 70000 }, /ship\.port is 70000; accepted: an integer 1-65535/],
  ])('a malformed declaration %j names the file and the field', (ship, message) => {
    const r = repoWith({ app: { 'gpio-fleet': { ship } } });
    expect(() => shippedApps(r)).toThrow(message);
    expect(() => shippedApps(r)).toThrow(join(r, 'apps', 'app', 'package.json'));
  });

  it('two apps cannot declare one executable', () => {
    const ship = { executable: 'same', entry: 'src/cli.ts' };
    expect(() => shippedApps(repoWith({ a: { 'gpio-fleet': { ship } }, b: { 'gpio-fleet': { ship } } }))).toThrow(/two apps declare the executable "same"/);
  });

  it('--app lists are checked against the declared apps', () => {
    expect(parseApps('traffic-light,light-sensor')).toEqual(['traffic-light', 'light-sensor']);
    expect(() => parseApps('toaster')).toThrow(`unknown app "toaster": expected a comma-separated list of ${APP_NAMES.join(', ')}`);
  });
});
