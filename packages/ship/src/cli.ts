#!/usr/bin/env node
// gpio-fleet-ship <bundles|runtime|addons|binaries> [--arch x64,arm64,armv7] [--app ...]
// The root scripts build:bundles, build:runtime, build:addons and build:binaries call this.
import { parseArgs } from 'node:util';
import { parseApps, type AppName } from './apps.js';
import { buildAddons, buildBinaries, buildBundles, buildRuntimes, type BuildOptions } from './build.js';
import { parseArches } from './targets.js';

const USAGE = `usage: gpio-fleet-ship <command> [options]

commands:
  bundles    esbuild one CommonJS bundle per app          -> dist/bundles/<app>.cjs
  runtime    fetch, verify and strip the pinned Node runtimes (cache only)
  addons     cross-build epoll, lay out onoff + deps       -> dist/bin/native-linux-<arch>/
  binaries   all of the above plus the SEA executables    -> dist/bin/<app>-linux-<arch>

options:
  --arch LIST         x64,arm64,armv7 (default: all)
  --app LIST          light-sensor,traffic-light (default: all)
  --entry APP=FILE    bundle FILE instead of apps/<app>/src/cli.ts (repeatable)
  --dist DIR          output root (default: <repo>/dist)
  --cache DIR         cache root (default: $GPIO_FLEET_CACHE or ~/.cache/gpio-fleet)
  --no-code-cache     do not embed V8's code cache in the executables
  -h, --help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      arch: { type: 'string' },
      app: { type: 'string' },
      entry: { type: 'string', multiple: true },
      dist: { type: 'string' },
      cache: { type: 'string' },
      'no-code-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!command || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const entries: Partial<Record<AppName, string>> = {};
  for (const e of values.entry ?? []) {
    const [app, file] = e.split('=', 2);
    if (!app || !file) throw new Error(`--entry expects APP=FILE, got "${e}"`);
    entries[parseApps(app)[0]!] = file;
  }
  const options: BuildOptions = {
    entries,
    ...(values.arch ? { arches: parseArches(values.arch) } : {}),
    ...(values.app ? { apps: parseApps(values.app) } : {}),
    ...(values.dist ? { dist: values.dist } : {}),
    ...(values.cache ? { cache: values.cache } : {}),
    ...(values['no-code-cache'] ? { sea: { disableExperimentalSEAWarning: true, useCodeCache: false } } : {}),
  };
  switch (command) {
    case 'bundles':
      await buildBundles(options);
      return 0;
    case 'runtime':
      await buildRuntimes(options);
      return 0;
    case 'addons':
      await buildAddons(options);
      return 0;
    case 'binaries':
      await buildBinaries(options);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[ship] error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
