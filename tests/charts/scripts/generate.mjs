#!/usr/bin/env node
// `npm run charts:generate`: rewrite every generated part under charts/, in dependency order:
// 1. the shared values and schema parts of each app chart (shared-values.mjs),
// 2. the README values tables, which are made from values.yaml (values-docs.mjs),
// 3. the packaged library in each app chart's charts/ folder and Chart.lock (library.mjs),
//    and 2. and 3. for the charts that are not apps (the device plugin's),
// 4. deploy/prometheus/gpio-fleet.rules.yaml, rendered from the charts by helm (prometheus-rules.mjs).
// With --check it writes nothing and exits 1 when any part is stale (what build:charts runs).
//
//   node tests/charts/scripts/generate.mjs [--check]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appCharts, chartsDir, GENERATE_COMMAND, otherCharts } from './charts.mjs';
import { libraryStatus, refreshLibrary } from './library.mjs';
import { rulesStatus, writeRules } from './prometheus-rules.mjs';
import { sharedStatus, writeShared } from './shared-values.mjs';
import { syncChart } from './values-docs.mjs';

/**
 * Every stale generated part, as messages naming the file; empty when all are current.
 * @returns {string[]}
 */
export function staleParts(root = chartsDir) {
  const problems = [];
  for (const app of appCharts) {
    problems.push(...sharedStatus(app, root));
    const docs = syncChart(join(root, app));
    problems.push(...docs.errors.map((e) => `charts/${app}/values.yaml: ${e}`));
    if (docs.stale) problems.push(`charts/${app}/README.md: values table is stale`);
    problems.push(...libraryStatus(app, root).map((p) => `charts/${app}: ${p}`));
  }
  for (const chart of otherCharts) {
    const docs = syncChart(join(root, chart));
    problems.push(...docs.errors.map((e) => `charts/${chart}/values.yaml: ${e}`));
    if (docs.stale) problems.push(`charts/${chart}/README.md: values table is stale`);
    problems.push(...libraryStatus(chart, root).map((p) => `charts/${chart}: ${p}`));
  }
  problems.push(...rulesStatus(root));
  return problems;
}

/**
 * Rewrites every stale generated part.
 * @returns {string[]} what changed
 */
export function generateAll(root = chartsDir) {
  const changed = [];
  for (const app of appCharts) {
    changed.push(...writeShared(app, root));
    const docs = syncChart(join(root, app), { write: true });
    if (docs.errors.length > 0) throw new Error(`charts/${app}/values.yaml: ${docs.errors.join('; ')}`);
    if (docs.stale) changed.push(`charts/${app}/README.md`);
    changed.push(...refreshLibrary(app, root).map((c) => `charts/${app}: ${c}`));
  }
  for (const chart of otherCharts) {
    const docs = syncChart(join(root, chart), { write: true });
    if (docs.errors.length > 0) throw new Error(`charts/${chart}/values.yaml: ${docs.errors.join('; ')}`);
    if (docs.stale) changed.push(`charts/${chart}/README.md`);
    changed.push(...refreshLibrary(chart, root).map((c) => `charts/${chart}: ${c}`));
  }
  changed.push(...writeRules(root));
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--check')) {
      const problems = staleParts();
      if (problems.length > 0) {
        console.error(`${problems.join('\n')}\nrun: ${GENERATE_COMMAND}`);
        process.exit(1);
      }
      console.log('charts/: every generated part is current');
    } else {
      const changed = generateAll();
      console.log(changed.length > 0 ? `rewrote:\n  ${changed.join('\n  ')}` : 'charts/: every generated part was already current');
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
