// Part 1: what one light reading costs. Four contenders take one reading a second at the same
// charge time (2 ms) side by side, each in its own process under /usr/bin/time -v:
//   a) our light-sensor from its esbuild bundle on this machine's Node,
//   b) our single-executable (SEA) build for x64,
//   c) gpiozero's LightSensor on MockFactory with MockChargingPin(charge_time=0.002),
//   d) the original busy-loop algorithm (bench/python/busy_loop_reference.py, a reconstruction);
// plus one experiment: (a) with prom-client's event-loop-lag timer slowed from 10 ms to 100 ms.
// CPU and peak RSS come from the kernel (wait4 rusage via GNU time; /proc/<pid>/stat for the
// steady-state slice), never from the processes themselves.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chargeTime, DEFAULT_CALIBRATION, luxFromChargeTime } from '@gpio-fleet/gpio';
import { procCpuSeconds, startTimed } from '@gpio-fleet/test-tools/process-accounting';
import { jsonLines } from '@gpio-fleet/test-tools/processes';
import { binaryPath, bundlePath, REPO, type Log } from '../lib/prerequisites.js';
import { median, ratio } from '../lib/stats.js';

export const CHARGE_SECONDS = 0.002;

export interface Contender {
  id: string;
  label: string;
  command: string;
  args: string[];
  /** Exits by itself after the run (else it gets SIGTERM). */
  selfTerminating: boolean;
  /** Reading times (unix s) and the value each produced. */
  readings: (stdout: string, stderr: string) => { t: number; value: number }[];
}

export function contenders(python: string, seconds: number): Contender[] {
  // The lux whose charge time is exactly CHARGE_SECONDS on the default calibration (≈ 99.5 lux).
  const lux = luxFromChargeTime(CHARGE_SECONDS, DEFAULT_CALIBRATION);
  const ours = ['--gpio', 'mock', '--mock-lux', String(lux), '--interval', '1s', '--port', '0', '--host', '127.0.0.1'];
  const ourReadings = (_out: string, err: string) =>
    jsonLines(err)
      .filter((r) => r.msg === 'reading')
      .map((r) => ({ t: Date.parse(String(r.time)) / 1000, value: r.chargeSeconds as number }));
  const pyReadings = (key: string) => (out: string) => jsonLines(out).map((r) => ({ t: r.t as number, value: r[key] as number }));
  const py = (script: string) => join(REPO, 'bench', 'python', script);
  return [
    { id: 'bundle', label: 'ours: bundle on host Node', command: process.execPath, args: [bundlePath('light-sensor'), ...ours], selfTerminating: false, readings: ourReadings },
    { id: 'sea', label: 'ours: SEA executable (x64)', command: binaryPath('light-sensor', 'x64'), args: ours, selfTerminating: false, readings: ourReadings },
    {
      id: 'gpiozero',
      label: 'gpiozero LightSensor (MockChargingPin)',
      command: python,
      args: [py('gpiozero_light_sensor.py'), '--charge-time', String(CHARGE_SECONDS), '--seconds', String(seconds)],
      selfTerminating: true,
      readings: pyReadings('value'),
    },
    {
      id: 'busyloop',
      label: 'original busy loop (reference reconstruction, Python)',
      command: python,
      args: [py('busy_loop_reference.py'), '--charge-time', String(CHARGE_SECONDS), '--seconds', String(seconds)],
      selfTerminating: true,
      readings: pyReadings('count'),
    },
  ];
}

export interface RepetitionRow {
  id: string;
  readings: number;
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  maxRssKb: number;
  elapsedSeconds: number;
  cpuPerReading: number;
  steady: { readings: number; cpuSeconds: number; cpuPerReading: number };
  medianValue: number;
}

/**
 * One repetition: all contenders at once for `seconds`. The steady-state slice runs from
 * `warmup` seconds after the start to one second before the end, so start-up (module
 * loading, JIT, imports) is outside it; the whole-run figure includes start-up.
 */
async function repetition(list: Contender[], seconds: number, warmup: number, log: Log): Promise<RepetitionRow[]> {
  const t0 = Date.now();
  const runs = list.map((c) => ({ c, p: startTimed(c.command, c.args) }));
  const sampleAt = async (atSeconds: number) => {
    await sleep(Math.max(0, t0 + atSeconds * 1000 - Date.now()));
    return { t: Date.now() / 1000, cpu: runs.map(({ p }) => procCpuSeconds(p.pid() ?? -1)) };
  };
  const first = await sampleAt(warmup);
  const last = await sampleAt(seconds - 1);
  await sleep(Math.max(0, t0 + seconds * 1000 - Date.now()));
  for (const { c, p } of runs) if (!c.selfTerminating) p.kill('SIGTERM');
  const out: RepetitionRow[] = [];
  for (const [i, { c, p }] of runs.entries()) {
    const time = await Promise.race([p.result, sleep(30_000).then(() => undefined)]);
    if (!time) throw new Error(`${c.label} did not exit within 30 s of the end of the run:\n${p.stderr().slice(-2000)}`);
    if (time.exitStatus !== 0) throw new Error(`${c.label} exited with status ${time.exitStatus}:\n${p.stderr().slice(-2000)}`);
    const readings = c.readings(p.stdout(), p.stderr());
    if (readings.length === 0) throw new Error(`${c.label} took no readings:\n${p.stderr().slice(-2000)}`);
    const inSlice = readings.filter((r) => r.t > first.t && r.t <= last.t).length;
    const [cpuFirst, cpuLast] = [first.cpu[i], last.cpu[i]];
    const sliceCpu = cpuFirst !== undefined && cpuLast !== undefined ? cpuLast - cpuFirst : NaN;
    out.push({
      id: c.id,
      readings: readings.length,
      cpuSeconds: time.cpuSeconds,
      userSeconds: time.userSeconds,
      systemSeconds: time.systemSeconds,
      maxRssKb: time.maxRssKb,
      elapsedSeconds: time.elapsedSeconds,
      cpuPerReading: time.cpuSeconds / readings.length,
      steady: { readings: inSlice, cpuSeconds: sliceCpu, cpuPerReading: inSlice > 0 ? sliceCpu / inSlice : NaN },
      medianValue: median(readings.map((r) => r.value).filter(Number.isFinite)),
    });
  }
  log(`  repetition done: ${out.map((r) => `${r.id} ${r.readings} readings, ${(r.cpuPerReading * 1e3).toFixed(2)} ms CPU/reading`).join('; ')}`);
  return out;
}

export interface ContenderSummary {
  id: string;
  label: string;
  command: string;
  readings: number;
  cpuPerReading: number;
  steadyCpuPerReading: number;
  cpuSeconds: number;
  maxRssKb: number;
  medianValue: number;
}

export interface Ratios {
  cpuVsGpiozero: number;
  cpuVsBusyLoop: number;
  steadyCpuVsGpiozero: number;
  steadyCpuVsBusyLoop: number;
  rssVsGpiozero: number;
}

export interface ReadingCostResult {
  chargeSeconds: number;
  lux: number;
  checkChargeSeconds: number;
  seconds: number;
  repetitions: number;
  steadySlice: { fromSeconds: number; toSeconds: number };
  contenders: ContenderSummary[];
  perRepetition: RepetitionRow[][];
  ratios: Record<'bundle' | 'sea', Ratios>;
}

export async function measureReadingCost({ python, seconds, repetitions, log }: { python: string; seconds: number; repetitions: number; log: Log }): Promise<ReadingCostResult> {
  const list = contenders(python, seconds);
  const warmup = Math.min(5, seconds / 4);
  const reps: RepetitionRow[][] = [];
  for (let r = 0; r < repetitions; r++) {
    log(`part 1: repetition ${r + 1}/${repetitions}, ${list.length} contenders side by side for ${seconds} s`);
    reps.push(await repetition(list, seconds, warmup, log));
  }
  const summary: ContenderSummary[] = list.map((c) => {
    const rows = reps.map((rep) => rep.find((x) => x.id === c.id)!);
    const pick = (f: (x: RepetitionRow) => number) => median(rows.map(f));
    return {
      id: c.id,
      label: c.label,
      command: [c.command, ...c.args].join(' '),
      readings: pick((x) => x.readings),
      cpuPerReading: pick((x) => x.cpuPerReading),
      steadyCpuPerReading: pick((x) => x.steady.cpuPerReading),
      cpuSeconds: pick((x) => x.cpuSeconds),
      maxRssKb: pick((x) => x.maxRssKb),
      medianValue: pick((x) => x.medianValue),
    };
  });
  const by = Object.fromEntries(summary.map((s) => [s.id, s])) as Record<string, ContenderSummary>;
  const ratiosOf = (ours: 'bundle' | 'sea'): Ratios => ({
    cpuVsGpiozero: ratio(by[ours]!.cpuPerReading, by.gpiozero!.cpuPerReading),
    cpuVsBusyLoop: ratio(by[ours]!.cpuPerReading, by.busyloop!.cpuPerReading),
    steadyCpuVsGpiozero: ratio(by[ours]!.steadyCpuPerReading, by.gpiozero!.steadyCpuPerReading),
    steadyCpuVsBusyLoop: ratio(by[ours]!.steadyCpuPerReading, by.busyloop!.steadyCpuPerReading),
    rssVsGpiozero: ratio(by[ours]!.maxRssKb, by.gpiozero!.maxRssKb),
  });
  return {
    chargeSeconds: CHARGE_SECONDS,
    lux: luxFromChargeTime(CHARGE_SECONDS, DEFAULT_CALIBRATION),
    checkChargeSeconds: chargeTime(luxFromChargeTime(CHARGE_SECONDS, DEFAULT_CALIBRATION), DEFAULT_CALIBRATION),
    seconds,
    repetitions,
    steadySlice: { fromSeconds: warmup, toSeconds: seconds - 1 },
    contenders: summary,
    perRepetition: reps,
    ratios: { bundle: ratiosOf('bundle'), sea: ratiosOf('sea') },
  };
}
