#!/usr/bin/env node
// npm run vm -w @gpio-fleet/vm-tests [-- SCENARIO...]: one VM run, printing the summary and
// every RESULT line. VM_ACCEL=kvm|tcg forces the accelerator; VM_APP=bundle skips dist/bin.
import { stderrLog } from './progress.js';
import { runSummary } from './summary.js';
import { runVm } from './vm-run.js';

const scenarios = process.argv.slice(2);
const run = await runVm({
  log: stderrLog(),
  ...(scenarios.length > 0 ? { scenarios } : {}),
  ...(process.env.VM_APP === 'bundle' ? { appMode: 'bundle' as const } : {}),
});
for (const r of run.results) process.stdout.write(`${JSON.stringify(r)}\n`);
process.stdout.write(`${JSON.stringify(runSummary(run), null, 2)}\n`);
process.exit(run.exitCode === 0 && !run.timedOut ? 0 : 1);
