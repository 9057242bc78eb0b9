#!/usr/bin/env node
// `npm run bench`: benchmarks side by side with the reference implementations.
// Installs and builds what is missing, runs the parts in order, writes
// bench/results/<timestamp>.json, prints the Markdown report and puts it into bench/README.md.
// See bench/README.md for what each part measures and how.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { ensureGpiozero, ensureReleaseArtefacts, ensureTools, ensureWorkspaceBuild, REPO, snapshotRunnables, type Builds } from './lib/prerequisites.js';
import { measureFidelity } from './parts/fidelity.js';
import { measureFleet } from './parts/fleet.js';
import { measureFootprint } from './parts/footprint.js';
import { measureMetricsLoad } from './parts/metrics-load.js';
import { measureReadingCost } from './parts/reading-cost.js';
import { measureRealNode } from './parts/real-node.js';
import { measureTrafficTiming } from './parts/traffic-timing.js';
import { markdownReport } from './report.js';
import { fleetReport } from './report-fleet.js';
import { realNodeReport } from './report-real-node.js';
import type { Parts, RunResults } from './results.js';

const USAGE = `usage: npm run bench [-- options]

options:
  --parts LIST   which parts to run, e.g. 1,3 (default: 1,2,3,4,5,6,7)
                 1 reading cost, 2 fidelity, 3 traffic-light timing, 4 /metrics under load
                 (and with 10 status pages open),
                 5 footprint, 6 fleet (label → Ready trials, gpio-fleet label at 1/50/200 Pis, helm upgrade
                 over 200, the CLI at 200 and 1000 Pis),
                 7 real node (label → Ready cold and warm, helm upgrade with its bytes, on real-0)
  --quick        short durations for trying the harness (results are marked quick and the
                 README is left alone unless --readme)
  --no-rebuild   part 5: skip rebuilding the images after a code-only change
  --readme       write the report into bench/README.md even for --quick or partial runs
  --no-readme    never touch bench/README.md
  -h, --help`;

/** Durations and counts: the issue's figures, or a short version for trying things out. */
const SETTINGS = {
  full: { readingSeconds: 60, readingRepetitions: 3, fidelityReadings: 200, gpiozeroSamples: 3, phases: 500, loadSeconds: 30, scrapes: 100, nativeRepetitions: 3, fleetSizes: [1, 50, 200], fleetCliSizes: [200, 1000], fleetLabelTrials: 12, fleetRepetitions: 3, realNodeTrials: 5 },
  quick: { readingSeconds: 15, readingRepetitions: 1, fidelityReadings: 50, gpiozeroSamples: 1, phases: 100, loadSeconds: 5, scrapes: 100, nativeRepetitions: 1, fleetSizes: [1, 5], fleetCliSizes: [10, 20], fleetLabelTrials: 3, fleetRepetitions: 1, realNodeTrials: 2 },
};

/** Which parts use the executables (bundles and SEA binaries) and which the images. */
const USES_EXECUTABLES = [1, 3, 4, 5];
const USES_IMAGES = [5, 7];

const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

/** Bad input: exit 2 naming the value and the accepted form. */
class UsageError extends Error {}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        parts: { type: 'string', default: '1,2,3,4,5,6,7' },
        quick: { type: 'boolean', default: false },
        'no-rebuild': { type: 'boolean', default: false },
        readme: { type: 'boolean', default: false },
        'no-readme': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parts = new Set(values.parts.split(',').map((s) => Number(s.trim())));
  for (const p of parts) if (!(p >= 1 && p <= 7)) throw new UsageError(`--parts: "${p}" is not a part number 1..7 (accepted: a comma-separated list of 1 to 7, e.g. 2,3)`);
  const s = values.quick ? SETTINGS.quick : SETTINGS.full;
  const argv = process.argv.slice(2);
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const startedAt = new Date();
  const uses = (list: number[]) => list.some((n) => parts.has(n));

  const builds: Builds = {};
  ensureWorkspaceBuild(builds, log);
  log('tools: GNU time, wrk, gpiozero, cross runtimes for qemu (installed from Debian when missing)');
  ensureTools(log);
  const python = ensureGpiozero(log);
  ensureReleaseArtefacts(builds, log, { executables: uses(USES_EXECUTABLES), images: uses(USES_IMAGES) });
  const machine = describeMachine(python);
  // Under node_modules/: same file system as dist/ (hard links) and ignored by git.
  const dropSnapshot = uses(USES_EXECUTABLES) ? snapshotRunnables(join(REPO, 'node_modules', '.cache', 'gpio-fleet-bench', `snapshot-${process.pid}`)) : () => undefined;

  const plan: [number, keyof Parts, () => Promise<object>][] = [
    [1, 'readingCost', () => measureReadingCost({ python, seconds: s.readingSeconds, repetitions: s.readingRepetitions, log })],
    [2, 'fidelity', () => measureFidelity({ python, readingsPerSetting: s.fidelityReadings, gpiozeroSamples: s.gpiozeroSamples, log })],
    [3, 'trafficTiming', () => measureTrafficTiming({ phases: s.phases, phaseMs: 50, log })],
    [4, 'metricsLoad', () => measureMetricsLoad({ seconds: s.loadSeconds, rates: [50, 500], viewers: 10, log })],
    [5, 'footprint', () => measureFootprint({ scrapes: s.scrapes, nativeRepetitions: s.nativeRepetitions, rebuild: !values['no-rebuild'], log })],
    [6, 'fleet', () => measureFleet({ sizes: s.fleetSizes, cliSizes: s.fleetCliSizes, labelTrials: s.fleetLabelTrials, repetitions: s.fleetRepetitions, log })],
    [7, 'realNode', () => measureRealNode({ trials: s.realNodeTrials, log })],
  ];
  const results: RunResults & { machine: { loadAverageAtEnd?: number[] } } = { command, quick: values.quick, startedAt: startedAt.toISOString(), machine, builds, settings: s, parts: {}, totalSeconds: 0 };
  const measured = results.parts as Record<string, unknown>;
  let failedParts = 0;
  try {
    for (const [n, key, run] of plan) {
      if (!parts.has(n)) continue;
      const t0 = performance.now();
      try {
        measured[key] = { ...(await run()), partSeconds: (performance.now() - t0) / 1000 };
      } catch (e) {
        failedParts++;
        log(`part ${n} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        measured[key] = { error: String((e as Error).message ?? e) };
      }
      log(`part ${n} (${key}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    dropSnapshot();
  }
  results.totalSeconds = (performance.now() - started) / 1000;
  results.machine.loadAverageAtEnd = describeMachine(python).loadAverage;

  const report = markdownReport(results);
  const fleet = results.parts.fleet ? fleetReport(results.parts.fleet, results) : undefined;
  const realNode = results.parts.realNode ? realNodeReport(results.parts.realNode, results) : undefined;
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...results, report, ...(fleet ? { fleetReport: fleet } : {}), ...(realNode ? { realNodeReport: realNode } : {}) }, null, 2)}\n`);
  process.stdout.write(`${report}\n${fleet ? `\n${fleet}\n` : ''}${realNode ? `\n${realNode}\n` : ''}`);
  log(`results: ${file}`);

  const fullRun = !values.quick && parts.size === 7;
  if (!values['no-readme'] && (fullRun || values.readme)) {
    // Parts 6 and 7 have blocks of their own: a run of one alone leaves the other parts' figures alone.
    if ([...parts].some((p) => p !== 6 && p !== 7)) writeReadmeResults('results', report, file);
    if (fleet) writeReadmeResults('results-fleet', fleet, file);
    if (realNode) writeReadmeResults('results-real-node', realNode, file);
    log('bench/README.md updated');
  }
  if (failedParts > 0) log(`${failedParts} part(s) failed; see above`);
  return failedParts > 0 ? 1 : 0;
}

/** Replace the block between the `block` markers in bench/README.md. */
function writeReadmeResults(block: string, report: string, file: string): void {
  const readme = join(REPO, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = `<!-- begin:${block} -->`;
  const end = `<!-- end:${block} -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`bench/README.md lacks the ${begin} … ${end} markers`);
  const body = `${report}\n\nRaw results: \`${file.slice(REPO.length + 1)}\`.`;
  writeFileSync(readme, `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
