// Part 1: what an idle light-sensor costs, one reading a second, side by side with the
// references, each in its own process under /usr/bin/time -v:
//   our light-sensor from its esbuild bundle on this machine's Node, and as the x64 single
//   executable (SEA); gpiozero's LightSensor on MockFactory with MockChargingPin, its queue
//   paced to one reading a second; the original busy-loop algorithm (a reconstruction); and
//   two floors: a bare Node HTTP server (bench/node/bare-http-server.cjs) on this machine's
//   Node and on the Node the SEA embeds, which is what any Node service costs before it does
//   anything; and that floor with three empty timers a second at a reading's moments (0, 100
//   and 102 ms: drive LOW, end of the discharge, the edge), which is what no RC reading on this
//   Node can cost less than.
// Steady CPU: each process's CPU-time clock (nanoseconds, every thread) over a window after
// start-up. Idle RSS: VmRSS after 100 scrapes of /metrics, read for every contender at the same
// moment (gpiozero and the busy loop serve nothing, so theirs is RSS at that moment). Both
// from the kernel, never from the processes themselves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chargeTime, DEFAULT_CALIBRATION, luxFromChargeTime } from '@gpio-fleet/gpio';
import { cacheRoot, ensureRuntime, loadRuntimePins, silentProgress, TARGETS } from '@gpio-fleet/ship';
import { procMemoryKb, startTimed } from '@gpio-fleet/test-tools/process-accounting';
import { parseSamples } from '@gpio-fleet/test-tools/prometheus';
import { freePort, jsonLines } from '@gpio-fleet/test-tools/processes';
import { readCpuClocks, type CpuSample } from '../lib/process-cpu.js';
import { binaryPath, bundlePath, DIST, REPO, type Log } from '../lib/prerequisites.js';
import { median, ratio } from '../lib/stats.js';

export const CHARGE_SECONDS = 0.002;

/** When, in ms into each second, a 1 s reading with the default 100 ms discharge wakes the process on the mock. */
export const READING_WAKES = '0,100,102';

export type ContenderId = 'bundle' | 'sea' | 'gpiozero' | 'busyloop' | 'floor' | 'floor-sea' | 'floor-wakes';

/** The floors: processes that take no readings. */
export const isFloor = (id: ContenderId): boolean => id.startsWith('floor');

export interface Contender {
  id: ContenderId;
  label: string;
  command: string;
  args: string[];
  /** Where it serves /metrics, scraped before the idle RSS is read. */
  port: number | undefined;
  /**
   * How its readings are counted: from its output (reading times, unix s, and the value each
   * produced), or from its /metrics just before and after the window (ours, which log a steady
   * light not at all); undefined for the floors, which take none.
   */
  readings: ((stdout: string, stderr: string) => { t: number; value: number }[]) | 'metrics' | undefined;
}

/** What ours' /metrics says of its readings so far: how many, and the sum of their charge times. */
export interface ReadingCounts {
  readings: number;
  chargeSecondsSum: number;
  chargeSecondsCount: number;
}

/** The reading counters in light-sensor's exposition text. */
export function readingCounts(exposition: string): ReadingCounts {
  const samples = parseSamples(exposition);
  const sum = (name: string) => {
    const found = samples.filter((x) => x.name === name);
    if (found.length === 0) throw new Error(`/metrics has no ${name}`);
    return found.reduce((n, x) => n + x.value, 0);
  };
  return { readings: sum('light_sensor_readings_total'), chargeSecondsSum: sum('light_sensor_charge_seconds_sum'), chargeSecondsCount: sum('light_sensor_charge_seconds_count') };
}

async function countReadings(port: number): Promise<ReadingCounts> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`127.0.0.1:${port}/metrics answered ${res.status}`);
  return readingCounts(await res.text());
}

/** What the bench needs to know about the Node inside the x64 SEA, to run its floor on it. */
export interface SeaRuntime {
  version: string;
  node: string;
}

/**
 * The stripped Node binary the x64 SEA was made from (packages/ship caches it while building
 * the executables; fetched again if the cache lost it). Fails when dist/bin's SEA embeds
 * another version than the one pinned: its floor would be the wrong Node.
 */
export async function seaRuntime(): Promise<SeaRuntime> {
  const pin = loadRuntimePins().x64;
  const runtime = await ensureRuntime(TARGETS.x64, pin, cacheRoot(), silentProgress);
  const manifest = JSON.parse(readFileSync(join(DIST, 'bin', 'manifest.json'), 'utf8')) as { binaries: { app: string; arch: string; node: string }[] };
  const built = manifest.binaries.find((b) => b.app === 'light-sensor' && b.arch === 'x64')?.node;
  if (built !== pin.version) throw new Error(`dist/bin/light-sensor-linux-x64 embeds Node ${built ?? '(none listed)'}, packages/ship/runtimes.json pins ${pin.version}: run npm run build:binaries`);
  if (!existsSync(runtime.stripped)) throw new Error(`the x64 runtime ${runtime.stripped} is missing from the cache`);
  return { version: pin.version, node: runtime.stripped };
}

/** Ports that were free a moment ago, never the same one twice. */
function portPicker(): () => Promise<number> {
  const taken = new Set<number>();
  return async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
}

export async function contenders(python: string, sea: SeaRuntime, lastSeconds: number): Promise<Contender[]> {
  // The lux whose charge time is exactly CHARGE_SECONDS on the default calibration (≈ 99.5 lux).
  const lux = luxFromChargeTime(CHARGE_SECONDS, DEFAULT_CALIBRATION);
  // The chart's settings (a steady light logs no line at the default --log-delta).
  const ours = (port: number) => ['--gpio', 'mock', '--mock-lux', String(lux), '--interval', '1s', '--port', String(port), '--host', '127.0.0.1'];
  const pyReadings = (key: string) => (out: string) => jsonLines(out).map((r) => ({ t: r.t as number, value: r[key] as number }));
  const py = (script: string) => join(REPO, 'bench', 'python', script);
  const floor = join(REPO, 'bench', 'node', 'bare-http-server.cjs');
  // The Python contenders stop on SIGTERM like the rest; --seconds only bounds a run left behind.
  const pyArgs = ['--charge-time', String(CHARGE_SECONDS), '--seconds', String(lastSeconds + 120)];
  const port = portPicker();
  const [bundle, seaPort, floorPort, floorSeaPort, wakesPort] = [await port(), await port(), await port(), await port(), await port()];
  return [
    { id: 'bundle', label: 'ours: bundle on host Node', command: process.execPath, args: [bundlePath('light-sensor'), ...ours(bundle)], port: bundle, readings: 'metrics' },
    { id: 'sea', label: `ours: SEA executable (x64, Node ${sea.version})`, command: binaryPath('light-sensor', 'x64'), args: ours(seaPort), port: seaPort, readings: 'metrics' },
    { id: 'gpiozero', label: 'gpiozero LightSensor (MockChargingPin), paced to 1/s', command: python, args: [py('gpiozero_light_sensor.py'), ...pyArgs], port: undefined, readings: pyReadings('value') },
    { id: 'busyloop', label: 'original busy loop (reference reconstruction, Python)', command: python, args: [py('busy_loop_reference.py'), ...pyArgs], port: undefined, readings: pyReadings('count') },
    { id: 'floor', label: `floor: bare Node HTTP server, host Node ${process.version}`, command: process.execPath, args: [floor, '--port', String(floorPort)], port: floorPort, readings: undefined },
    { id: 'floor-wakes', label: `floor + a reading's 3 wake-ups: the same server with empty timers at 0, 100, 102 ms each second, host Node`, command: process.execPath, args: [floor, '--port', String(wakesPort), '--wakes', READING_WAKES], port: wakesPort, readings: undefined },
    { id: 'floor-sea', label: `floor: bare Node HTTP server, the SEA's Node v${sea.version}`, command: sea.node, args: [floor, '--port', String(floorSeaPort)], port: floorSeaPort, readings: undefined },
  ];
}

export interface RepetitionRow {
  id: ContenderId;
  /** Readings in the steady window (NaN for a floor). */
  readings: number;
  /** CPU seconds from exec to the start of the window (start-up and the first readings). */
  startupCpuSeconds: number;
  steady: { seconds: number; cpuSeconds: number; cpuPerReading: number; cpuPerSecond: number };
  /** VmRSS after the scrapes, kB. */
  idleRssKb: number;
  /** Peak RSS over the whole run (GNU time), kB. */
  maxRssKb: number;
  /** The result: ours, the mean charge time in the window; gpiozero its median value; the busy loop its median count. */
  medianValue: number;
}

/** The scrapes before the idle RSS is read, one after another per contender. */
export const SCRAPES = 100;

async function scrape(port: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    if (!res.ok) throw new Error(`127.0.0.1:${port}/metrics answered ${res.status}`);
    await res.text();
  }
}

/**
 * One repetition: every contender at once. CPU clocks are read at `warmup` and at
 * `warmup + window` seconds; then each server is scraped SCRAPES times, a second later every
 * contender's RSS is read, and all are stopped with SIGTERM.
 */
async function repetition(list: Contender[], python: string, warmup: number, window: number, log: Log): Promise<RepetitionRow[]> {
  const t0 = Date.now();
  const runs = list.map((c) => ({ c, p: startTimed(c.command, c.args) }));
  const sampleAt = async (atSeconds: number): Promise<CpuSample> => {
    await sleep(Math.max(0, t0 + atSeconds * 1000 - Date.now()));
    const pids = runs.map(({ c, p }) => {
      const pid = p.pid();
      if (pid === undefined) throw new Error(`${c.label} is not running ${atSeconds} s after the start:\n${p.stderr().slice(-2000)}`);
      return pid;
    });
    return readCpuClocks(python, pids);
  };
  const counted = runs.filter(({ c }) => c.readings === 'metrics');
  const countAll = () => Promise.all(counted.map(({ c }) => countReadings(c.port!)));
  try {
    // Ours are asked for their counts just before the window opens and just after it closes,
    // so the two scrapes fall outside it.
    await sleep(Math.max(0, t0 + warmup * 1000 - 300 - Date.now()));
    const countsBefore = await countAll();
    const first = await sampleAt(warmup);
    const last = await sampleAt(warmup + window);
    const countsAfter = await countAll();
    const fromMetrics = new Map(counted.map(({ c }, k) => [c.id, { before: countsBefore[k]!, after: countsAfter[k]! }]));
    await Promise.all(list.flatMap((c) => (c.port === undefined ? [] : [scrape(c.port, SCRAPES)])));
    await sleep(1000);
    const rss = runs.map(({ p }) => procMemoryKb(p.pid() ?? -1).rssKb);
    for (const { p } of runs) p.kill('SIGTERM');
    const out: RepetitionRow[] = [];
    for (const [i, { c, p }] of runs.entries()) {
      const time = await Promise.race([p.result, sleep(30_000).then(() => undefined)]);
      if (!time) throw new Error(`${c.label} did not exit within 30 s of SIGTERM:\n${p.stderr().slice(-2000)}`);
      if (time.exitStatus !== 0) throw new Error(`${c.label} exited with status ${time.exitStatus}:\n${p.stderr().slice(-2000)}`);
      const counts = fromMetrics.get(c.id);
      const readings = typeof c.readings === 'function' ? c.readings(p.stdout(), p.stderr()) : undefined;
      if (readings?.length === 0 || counts?.after.readings === 0) throw new Error(`${c.label} took no readings:\n${p.stderr().slice(-2000)}`);
      const inWindow = counts ? counts.after.readings - counts.before.readings : readings ? readings.filter((r) => r.t > first.t && r.t <= last.t).length : NaN;
      // Ours: the mean charge time over the window, from the histogram's sum and count.
      const value = counts
        ? (counts.after.chargeSecondsSum - counts.before.chargeSecondsSum) / (counts.after.chargeSecondsCount - counts.before.chargeSecondsCount)
        : readings
          ? median(readings.map((r) => r.value).filter(Number.isFinite))
          : NaN;
      const [cpuFirst, cpuLast] = [first.cpuSeconds[i], last.cpuSeconds[i]];
      if (cpuFirst === undefined || cpuLast === undefined) throw new Error(`${c.label}: its CPU clock could not be read`);
      const seconds = last.t - first.t;
      const cpu = cpuLast - cpuFirst;
      out.push({
        id: c.id,
        readings: inWindow,
        startupCpuSeconds: cpuFirst,
        steady: { seconds, cpuSeconds: cpu, cpuPerReading: inWindow > 0 ? cpu / inWindow : NaN, cpuPerSecond: cpu / seconds },
        idleRssKb: rss[i]!,
        maxRssKb: time.maxRssKb,
        medianValue: value,
      });
    }
    log(`  repetition done: ${out.map((r) => `${r.id} ${(r.steady.cpuPerSecond * 1e3).toFixed(3)} ms CPU/s, ${(r.idleRssKb / 1e3).toFixed(1)} MB`).join('; ')}`);
    return out;
  } finally {
    for (const { p } of runs) await p.stop(5000);
  }
}

export interface ContenderSummary {
  id: ContenderId;
  label: string;
  command: string;
  readings: number;
  startupCpuSeconds: number;
  steadyCpuPerReading: number;
  steadyCpuPerSecond: number;
  idleRssKb: number;
  maxRssKb: number;
  medianValue: number;
}

/** One of ours against its floor (the same Node) and against the references; medians of the per-repetition figures. */
export interface Ratios {
  /** Which floor: the same Node as ours. */
  floor: ContenderId;
  /** Steady CPU per second, ours ÷ the floor's. */
  cpuVsFloor: number;
  /** Steady CPU seconds per second above the floor's. */
  cpuAboveFloorPerSecond: number;
  /** Idle RSS above the floor's, kB. */
  rssAboveFloorKb: number;
  /** Steady CPU seconds per second above the floor with a reading's wake-ups (host Node's). */
  cpuAboveWakeFloorPerSecond: number;
  steadyCpuVsGpiozero: number;
  steadyCpuVsBusyLoop: number;
  rssVsGpiozero: number;
}

export interface ReadingCostResult {
  chargeSeconds: number;
  lux: number;
  checkChargeSeconds: number;
  /** The steady window, seconds, and when it starts. */
  window: { fromSeconds: number; seconds: number };
  scrapes: number;
  repetitions: number;
  contenders: ContenderSummary[];
  perRepetition: RepetitionRow[][];
  ratios: Record<'bundle' | 'sea', Ratios>;
}

/** Medians over repetitions of each contender's figures, and of the side-by-side ratios within each repetition. */
export function summarise(list: readonly Pick<Contender, 'id' | 'label' | 'command' | 'args'>[], reps: readonly RepetitionRow[][]): { contenders: ContenderSummary[]; ratios: Record<'bundle' | 'sea', Ratios> } {
  const rowOf = (rep: readonly RepetitionRow[], id: ContenderId) => {
    const row = rep.find((x) => x.id === id);
    if (!row) throw new Error(`a repetition has no row for ${id}`);
    return row;
  };
  const summary: ContenderSummary[] = list.map((c) => {
    const rows = reps.map((rep) => rowOf(rep, c.id));
    const pick = (f: (x: RepetitionRow) => number) => median(rows.map(f));
    return {
      id: c.id,
      label: c.label,
      command: [c.command, ...c.args].join(' '),
      readings: pick((x) => x.readings),
      startupCpuSeconds: pick((x) => x.startupCpuSeconds),
      steadyCpuPerReading: pick((x) => x.steady.cpuPerReading),
      steadyCpuPerSecond: pick((x) => x.steady.cpuPerSecond),
      idleRssKb: pick((x) => x.idleRssKb),
      maxRssKb: pick((x) => x.maxRssKb),
      medianValue: pick((x) => x.medianValue),
    };
  });
  const ratiosOf = (ours: 'bundle' | 'sea', floor: ContenderId): Ratios => {
    const each = (f: (o: RepetitionRow, rep: readonly RepetitionRow[]) => number) => median(reps.map((rep) => f(rowOf(rep, ours), rep)));
    return {
      floor,
      cpuVsFloor: each((o, rep) => ratio(o.steady.cpuPerSecond, rowOf(rep, floor).steady.cpuPerSecond)),
      cpuAboveFloorPerSecond: each((o, rep) => o.steady.cpuPerSecond - rowOf(rep, floor).steady.cpuPerSecond),
      rssAboveFloorKb: each((o, rep) => o.idleRssKb - rowOf(rep, floor).idleRssKb),
      cpuAboveWakeFloorPerSecond: each((o, rep) => o.steady.cpuPerSecond - rowOf(rep, 'floor-wakes').steady.cpuPerSecond),
      steadyCpuVsGpiozero: each((o, rep) => ratio(o.steady.cpuPerReading, rowOf(rep, 'gpiozero').steady.cpuPerReading)),
      steadyCpuVsBusyLoop: each((o, rep) => ratio(o.steady.cpuPerReading, rowOf(rep, 'busyloop').steady.cpuPerReading)),
      rssVsGpiozero: each((o, rep) => ratio(o.idleRssKb, rowOf(rep, 'gpiozero').idleRssKb)),
    };
  };
  return { contenders: summary, ratios: { bundle: ratiosOf('bundle', 'floor'), sea: ratiosOf('sea', 'floor-sea') } };
}

export async function measureReadingCost({ python, seconds, repetitions, log }: { python: string; seconds: number; repetitions: number; log: Log }): Promise<ReadingCostResult> {
  // Node 20's memory reducer runs a full collection about 8 s after start (tens of ms of CPU
  // on its helper threads): start-up, so the window opens after it.
  const warmup = Math.min(15, seconds / 2);
  const sea = await seaRuntime();
  const reps: RepetitionRow[][] = [];
  let list: Contender[] = [];
  for (let r = 0; r < repetitions; r++) {
    // Fresh ports each time: a port of the last repetition may linger in TIME_WAIT.
    list = await contenders(python, sea, warmup + seconds);
    log(`part 1: repetition ${r + 1}/${repetitions}, ${list.length} contenders side by side, steady window ${seconds} s after ${warmup} s`);
    reps.push(await repetition(list, python, warmup, seconds, log));
  }
  const lux = luxFromChargeTime(CHARGE_SECONDS, DEFAULT_CALIBRATION);
  return {
    chargeSeconds: CHARGE_SECONDS,
    lux,
    checkChargeSeconds: chargeTime(lux, DEFAULT_CALIBRATION),
    window: { fromSeconds: warmup, seconds },
    scrapes: SCRAPES,
    repetitions,
    ...summarise(list, reps),
    perRepetition: reps,
  };
}
