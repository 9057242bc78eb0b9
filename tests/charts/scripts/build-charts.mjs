#!/usr/bin/env node
// `npm run build:charts`: package the charts (the apps' and the device plugin's) with helm into dist/charts/*.tgz and write the
// chart repository index (dist/charts/index.yaml), after checking that every generated part of
// the charts (shared values and schema, README values tables, the packaged library and
// Chart.lock) is current.
//
//   node tests/charts/scripts/build-charts.mjs [--out DIR] [--url URL]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHelm } from '@gpio-fleet/test-tools/provision';
import { appCharts, chartsDir, GENERATE_COMMAND, otherCharts } from './charts.mjs';
import { staleParts } from './generate.mjs';

/**
 * @param {{ out?: string, url?: string, root?: string, log?: (m: string) => void }} [options]
 *   root: the charts folder (default the repository's charts/)
 * @returns {{ out: string, packages: string[] }}
 */
export function buildCharts(options = {}) {
  const log = options.log ?? ((m) => console.log(m));
  const out = resolve(options.out ?? fileURLToPath(new URL('../../../dist/charts/', import.meta.url)));
  const root = options.root ?? chartsDir;
  const stale = staleParts(root);
  if (stale.length > 0) throw new Error(`${stale.join('\n')}\nrun: ${GENERATE_COMMAND}`);
  const helm = ensureHelm();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const run = (args) => {
    const res = spawnSync(helm, args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${res.stderr}${res.stdout}`);
    return res.stdout.trim();
  };
  const packages = [];
  for (const app of [...appCharts, ...otherCharts]) {
    run(['lint', '--strict', join(root, app)]);
    const said = run(['package', join(root, app), '--destination', out]);
    const path = said.replace(/^.*saved it to: /s, '').trim();
    packages.push(path);
    log(`packaged ${path}`);
  }
  run(['repo', 'index', out, ...(options.url ? ['--url', options.url] : [])]);
  log(`wrote ${join(out, 'index.yaml')}`);
  return { out, packages };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    buildCharts({ out: opt('--out'), url: opt('--url') });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
