#!/usr/bin/env node
// The app charts use the library chart charts/gpio-fleet-common. Helm only loads a dependency
// that sits in the chart's own charts/ folder, and `helm install light-sensor charts/light-sensor`
// must work on a fresh clone without `helm dependency build`, so each app chart carries a copy
// (a symlink would work too, but makes every helm command print a warning about it).
//
//   node tests/charts/scripts/vendor-common.mjs          check the copies; exit 1 when one differs
//   node tests/charts/scripts/vendor-common.mjs --write  refresh the copies from charts/gpio-fleet-common
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIBRARY = 'gpio-fleet-common';
export const chartsDir = fileURLToPath(new URL('../../../charts/', import.meta.url));
export const appCharts = ['light-sensor', 'traffic-light'];

/** Every file below dir, as sorted relative paths. */
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * Differences between the library and one app chart's copy of it.
 * @param {string} app
 * @returns {string[]} e.g. ["templates/_names.tpl differs", "extra file x", "missing file y"]
 */
export function vendorDiff(app, root = chartsDir) {
  const source = join(root, LIBRARY);
  const copy = join(root, app, 'charts', LIBRARY);
  const want = files(source);
  const have = files(copy);
  const problems = [];
  for (const f of want) {
    if (!have.includes(f)) problems.push(`missing file ${f}`);
    else if (!readFileSync(join(source, f)).equals(readFileSync(join(copy, f)))) problems.push(`${f} differs`);
  }
  for (const f of have) if (!want.includes(f)) problems.push(`extra file ${f}`);
  return problems;
}

export function vendor(app, root = chartsDir) {
  const copy = join(root, app, 'charts', LIBRARY);
  rmSync(copy, { recursive: true, force: true });
  cpSync(join(root, LIBRARY), copy, { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write');
  let failed = false;
  for (const app of appCharts) {
    const diff = vendorDiff(app);
    if (diff.length === 0) {
      console.log(`charts/${app}/charts/${LIBRARY} matches charts/${LIBRARY}`);
    } else if (write) {
      vendor(app);
      console.log(`charts/${app}/charts/${LIBRARY} refreshed (${diff.join('; ')})`);
    } else {
      console.error(`charts/${app}/charts/${LIBRARY} is stale: ${diff.join('; ')}\n  run: node tests/charts/scripts/vendor-common.mjs --write`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
