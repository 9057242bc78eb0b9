// The numbers a run is judged and reported by: times, and the charge-time error distribution.
import { chargeSamples, stats, byScenario, type Stats } from './results.js';
import type { VmRun } from './vm-run.js';

export interface ChargeSummary {
  samples: ReturnType<typeof chargeSamples>;
  /** measured - helper's actual delay, µs */
  errorVsActualUs: Stats;
  /** distance outside the window in which the helper raised the line, µs (0 = inside) */
  outsideWindowUs: Stats;
  /** share of readings inside that window widened by 100 µs */
  insideWindowShare: number;
  /** measured - requested delay, µs */
  errorVsDelayUs: Stats;
}

export function chargeSummary(run: Pick<VmRun, 'results'>, backend: string): ChargeSummary {
  const samples = chargeSamples(run.results, backend);
  const us = (xs: number[]): Stats => stats(xs.filter(Number.isFinite).map((x) => Math.round(x * 1e7) / 10));
  return {
    samples,
    errorVsActualUs: us(samples.map((s) => s.errorVsActual)),
    outsideWindowUs: us(samples.map((s) => s.outsideWindow)),
    insideWindowShare: samples.filter((s) => Math.abs(s.outsideWindow) <= 100e-6).length / (samples.length || 1),
    errorVsDelayUs: us(samples.map((s) => s.errorVsDelay)),
  };
}

const brief = (c: ChargeSummary): Record<string, unknown> => ({
  vsHelperStart: c.errorVsActualUs,
  outsideHelperWindow: c.outsideWindowUs,
  insideWindowShare: c.insideWindowShare,
  vsRequestedDelay: c.errorVsDelayUs,
});

export function runSummary(run: VmRun): Record<string, unknown> {
  const boot = byScenario(run.results, 'boot')[0];
  const scenarios = Object.fromEntries(
    byScenario(run.results, 'timing').map((t) => [String(t.name), Number((Number(t.end) - Number(t.start)).toFixed(2))]),
  );
  return {
    arch: run.vm.arch,
    machine: boot?.machine,
    kernel: `${run.kernel.abi} (${run.kernel.version})`,
    kernelFromCache: run.kernel.fromCache,
    moduleBuildTimings: run.kernel.timings,
    accel: run.accel,
    appMode: run.app.mode,
    appNotes: run.app.notes,
    prepareKernelSeconds: run.timings.kernelSeconds,
    initramfsMiB: Math.round(run.timings.initramfsBytes / 2 ** 20),
    initramfsSeconds: run.timings.initramfsSeconds,
    bootToChipsReadySeconds: boot ? Number(boot.uptime) : undefined,
    scenarioSeconds: scenarios,
    qemuWallSeconds: run.timings.qemuSeconds,
    chargeErrorUs: {
      gpiochip: brief(chargeSummary(run, 'gpiochip')),
      onoff: brief(chargeSummary(run, 'onoff')),
    },
  };
}
