#!/usr/bin/env node
// `npm run bench`: benchmarks side by side with the reference implementations.
// Installs and builds what is missing, runs the parts in order, writes
// bench/results/<timestamp>.json, prints the Markdown report and puts it into bench/README.md.
// See bench/README.md for what each part measures and how.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.mjs';
import { ensureGpiozero, ensureReleaseArtefacts, ensureTools, ensureWorkspaceBuild, REPO, snapshotRunnables } from './lib/prerequisites.mjs';

const USAGE = `usage: npm run bench [-- options]

options:
  --parts LIST   which parts to run, e.g. 1,3 (default: 1,2,3,4,5,6)
                 1 reading cost, 2 fidelity, 3 traffic-light timing, 4 /metrics under load,
                 5 footprint, 6 fleet (gpio-fleet label at 1/50/200 Pis, helm upgrade over 200)
  --quick        short durations for trying the harness (results are marked quick and the
                 README is left alone unless --readme)
  --no-rebuild   part 5: skip rebuilding the images after a code-only change
  --readme       write the report into bench/README.md even for --quick or partial runs
  --no-readme    never touch bench/README.md
  -h, --help`;

/** Durations and counts: the issue's figures, or a short version for trying things out. */
const SETTINGS = {
  full: { readingSeconds: 60, readingRepetitions: 3, fidelityReadings: 200, gpiozeroSamples: 3, phases: 500, loadSeconds: 30, scrapes: 100, nativeRepetitions: 3, fleetSizes: [1, 50, 200] },
  quick: { readingSeconds: 15, readingRepetitions: 1, fidelityReadings: 50, gpiozeroSamples: 1, phases: 100, loadSeconds: 5, scrapes: 100, nativeRepetitions: 1, fleetSizes: [1, 5] },
};

const started = performance.now();
const log = (line) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

async function main() {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string', default: '1,2,3,4,5,6' },
      quick: { type: 'boolean', default: false },
      'no-rebuild': { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
      'no-readme': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parts = new Set(values.parts.split(',').map((s) => Number(s.trim())));
  for (const p of parts) if (!(p >= 1 && p <= 6)) throw new Error(`--parts: "${p}" is not a part number 1..6`);
  const s = values.quick ? SETTINGS.quick : SETTINGS.full;
  const argv = process.argv.slice(2);
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const startedAt = new Date();

  /** @type {Record<string, number>} */
  const builds = {};
  ensureWorkspaceBuild(builds, log);
  log('tools: GNU time, wrk, gpiozero, cross runtimes for qemu (installed from Debian when missing)');
  await ensureTools();
  const python = await ensureGpiozero(log);
  await ensureReleaseArtefacts(builds, log);
  const machine = describeMachine(python);
  // Under node_modules/: same file system as dist/ (hard links) and ignored by git.
  const dropSnapshot = await snapshotRunnables(join(REPO, 'node_modules', '.cache', 'gpio-fleet-bench', `snapshot-${process.pid}`));

  // Imported after the workspace build: they load @gpio-fleet/* from dist/.
  const { measureReadingCost } = await import('./parts/reading-cost.mjs');
  const { measureFidelity } = await import('./parts/fidelity.mjs');
  const { measureTrafficTiming } = await import('./parts/traffic-timing.mjs');
  const { measureMetricsLoad } = await import('./parts/metrics-load.mjs');
  const { measureFootprint } = await import('./parts/footprint.mjs');
  const { measureFleet } = await import('./parts/fleet.mjs');
  const plan = [
    [1, 'readingCost', () => measureReadingCost({ python, seconds: s.readingSeconds, repetitions: s.readingRepetitions, log })],
    [2, 'fidelity', () => measureFidelity({ python, readingsPerSetting: s.fidelityReadings, gpiozeroSamples: s.gpiozeroSamples, log })],
    [3, 'trafficTiming', () => measureTrafficTiming({ phases: s.phases, phaseMs: 50, log })],
    [4, 'metricsLoad', () => measureMetricsLoad({ seconds: s.loadSeconds, rates: [50, 500], log })],
    [5, 'footprint', () => measureFootprint({ scrapes: s.scrapes, nativeRepetitions: s.nativeRepetitions, rebuild: !values['no-rebuild'], log })],
    [6, 'fleet', () => measureFleet({ sizes: s.fleetSizes, log })],
  ];
  const results = { command, quick: values.quick, startedAt: startedAt.toISOString(), machine, builds, settings: s, parts: {} };
  let failed = 0;
  try {
    for (const [n, key, run] of plan) {
      if (!parts.has(n)) continue;
      const t0 = performance.now();
      try {
        results.parts[key] = { ...(await run()), partSeconds: (performance.now() - t0) / 1000 };
      } catch (e) {
        failed++;
        log(`part ${n} FAILED: ${e.stack ?? e}`);
        results.parts[key] = { error: String(e.message ?? e) };
      }
      log(`part ${n} (${key}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    dropSnapshot();
  }
  results.totalSeconds = (performance.now() - started) / 1000;
  results.machine.loadAverageAtEnd = describeMachine(python).loadAverage;

  const { markdownReport } = await import('./report.mjs');
  const report = markdownReport(results);
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...results, report }, null, 2)}\n`);
  process.stdout.write(`${report}\n`);
  log(`results: ${file}`);

  const fullRun = !values.quick && parts.size === 6;
  if (!values['no-readme'] && (fullRun || values.readme)) {
    writeReadmeResults(report, file);
    log('bench/README.md updated');
  }
  if (failed > 0) log(`${failed} part(s) failed; see above`);
  return failed > 0 ? 1 : 0;
}

/** Replace the block between the results markers in bench/README.md. */
function writeReadmeResults(report, file) {
  const readme = join(REPO, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = '<!-- begin:results -->';
  const end = '<!-- end:results -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`bench/README.md lacks the ${begin} … ${end} markers`);
  const body = `${report}\n\nRaw results: \`${file.slice(REPO.length + 1)}\`.`;
  writeFileSync(readme, `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
