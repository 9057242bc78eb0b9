#!/usr/bin/env node
// npm run vm -w @gpio-fleet/vm-tests [-- SCENARIO...]: one VM run per architecture (all three,
// or VM_ARCHES=arm64,armv7), printing every RESULT line and the run's summary.
// VM_ACCEL=kvm|tcg forces the accelerator; VM_APP=bundle skips dist/bin (x64 only).
import { requestedArches } from './arch.js';
import { stderrLog } from './progress.js';
import { runSummary } from './summary.js';
import { runVm } from './vm-run.js';

const scenarios = process.argv.slice(2);
let arches;
try {
  arches = requestedArches();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
let ok = true;
for (const vm of arches) {
  const run = await runVm({
    vm,
    log: stderrLog(`vm ${vm.arch}`),
    ...(scenarios.length > 0 ? { scenarios } : {}),
    ...(process.env.VM_APP === 'bundle' ? { appMode: 'bundle' as const } : {}),
  });
  for (const r of run.results) process.stdout.write(`${JSON.stringify({ arch: vm.arch, ...r })}\n`);
  process.stdout.write(`${JSON.stringify(runSummary(run), null, 2)}\n`);
  ok &&= run.exitCode === 0 && !run.timedOut;
}
process.exit(ok ? 0 : 1);
