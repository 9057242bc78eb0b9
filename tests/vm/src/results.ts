// The guest reports "RESULT {json}" lines on its second serial port. Parsing and the small
// statistics the suite asserts on live here, pure.

export type VmResult = Record<string, unknown> & { scenario: string };

/** Every RESULT line, in order. A line that is not valid JSON is reported, not skipped. */
export function parseResults(text: string): VmResult[] {
  const out: VmResult[] = [];
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf('RESULT ');
    if (i < 0) continue;
    const json = line.slice(i + 'RESULT '.length).trim();
    try {
      const v = JSON.parse(json) as VmResult;
      if (typeof v.scenario === 'string') out.push(v);
    } catch {
      out.push({ scenario: 'unparsable', line });
    }
  }
  return out;
}

export const decode64 = (s: unknown): string => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '');

/** An app run reported by run_app in init.sh. */
export interface AppRun {
  exit: number;
  stdout: string;
  stderr: string;
  seconds: number;
  raw: VmResult;
}

export function appRun(r: VmResult): AppRun {
  return {
    exit: Number(r.exit),
    stdout: decode64(r.stdout64),
    stderr: decode64(r.stderr64),
    seconds: Number(r.end) - Number(r.start),
    raw: r,
  };
}

export const byScenario = (results: readonly VmResult[], scenario: string): VmResult[] =>
  results.filter((r) => r.scenario === scenario);

export interface LampState {
  /** Lamp line values in lamp order, e.g. "110". */
  values: string;
  /** How long the state lasted, ms (the last one: until sampling stopped, Infinity). */
  ms: number;
}

/** Consecutive distinct lamp states from a watch tag's samples, with durations. */
export function lampStates(results: readonly VmResult[], tag: string): LampState[] {
  const samples = byScenario(results, tag).map((r) => ({ values: String(r.values), t: Number(r.tNs) }));
  const out: LampState[] = [];
  samples.forEach((s, i) => {
    if (out.length > 0 && out[out.length - 1]!.values === s.values) return;
    const next = samples.slice(i + 1).find((n) => n.values !== s.values);
    out.push({ values: s.values, ms: next ? (next.t - s.t) / 1e6 : Infinity });
  });
  return out;
}

export interface TrafficObservation {
  /** States that lasted at least `minMs`: the phases, without claim/release/switch transients. */
  steady: string[];
  /** A "000" state after the last amber phase: the app switched all lamps off before releasing
   * (releasing alone cannot produce it: the idle lines are pulled HIGH). */
  allOffAtEnd: boolean;
}

export function observeTraffic(states: readonly LampState[], minMs: number): TrafficObservation {
  const steady = states.filter((s) => s.ms >= minMs).map((s) => s.values);
  const lastAmber = states.map((s) => s.ms >= minMs && s.values === '010').lastIndexOf(true);
  return { steady, allOffAtEnd: lastAmber >= 0 && states.slice(lastAmber + 1).some((s) => s.values === '000') };
}

export interface Stats {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  mean: number;
}

export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))] ?? NaN;
  return {
    n: s.length,
    min: s[0] ?? NaN,
    median: q(0.5),
    p90: q(0.9),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

/** Average ranks (1-based), ties sharing the mean of their positions. */
function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const r = new Array<number>(xs.length);
  for (let k = 0; k < order.length; ) {
    let j = k;
    while (j + 1 < order.length && order[j + 1]!.x === order[k]!.x) j++;
    for (let m = k; m <= j; m++) r[order[m]!.i] = (k + j) / 2 + 1;
    k = j + 1;
  }
  return r;
}

/** Spearman's rank correlation of two equally long series. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  ra.forEach((x, i) => {
    num += (x - ma) * (rb[i]! - mb);
    da += (x - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

/** One light-sensor reading joined with what the helper did for it. */
export interface ChargeSample {
  delaySeconds: number;
  /** chargeSeconds from the app's --once JSON. */
  measured: number;
  /** From the line's switch to input (the kernel's line-info timestamp) to the helper starting the pull-up write. */
  helperActual: number;
  /** ... to the helper's pull-up write returning: the edge happened between the two. */
  helperDone: number;
  /** measured - helperActual. */
  errorVsActual: number;
  /** 0 inside [helperActual, helperDone], else the signed distance to that window. */
  outsideWindow: number;
  /** measured - delay: includes the helper's scheduling lateness. */
  errorVsDelay: number;
}

/** Pair app readings with helper firings by index (one firing per reading). */
export function chargeSamples(results: readonly VmResult[], backend: string): ChargeSample[] {
  const runs = byScenario(results, `light-${backend}`);
  const fired = byScenario(results, `light-${backend}-rc`).filter((r) => r.i !== undefined);
  return runs.map((r, idx) => {
    const reading = JSON.parse(decode64(r.stdout64).trim().split('\n').pop() || '{}') as { chargeSeconds?: number | null };
    const h = fired.find((f) => Number(f.i) === idx);
    const measured = reading.chargeSeconds === null || reading.chargeSeconds === undefined ? NaN : Number(reading.chargeSeconds);
    const helperActual = h ? (Number(h.pullBeforeNs) - Number(h.inputNs)) / 1e9 : NaN;
    const helperDone = h ? (Number(h.pullAfterNs) - Number(h.inputNs)) / 1e9 : NaN;
    const delaySeconds = Number(r.delayUs) / 1e6;
    const outsideWindow = measured < helperActual ? measured - helperActual : measured > helperDone ? measured - helperDone : 0;
    return {
      delaySeconds,
      measured,
      helperActual,
      helperDone,
      errorVsActual: measured - helperActual,
      outsideWindow: Number.isNaN(measured) || Number.isNaN(helperActual) ? NaN : outsideWindow,
      errorVsDelay: measured - delaySeconds,
    };
  });
}

/** One edge as the probe saw it through the addon, joined with the helper's toggle that made it. */
export interface EdgeSample {
  i: number;
  /** The kernel timestamp as JavaScript received it, ns (CLOCK_MONOTONIC mod 2^53). */
  tNs: number;
  rising: boolean;
  lineSeqno: number;
  /** The addon's monotonicNs() in the listener: when JavaScript got the event. */
  seenNs: number;
  /** The helper's toggle: what it wrote, and its CLOCK_MONOTONIC stamps around the write. */
  pull?: string;
  beforeNs?: number;
  afterNs?: number;
}

export interface EdgeProbe {
  run: AppRun;
  report: { result?: string; arch?: string; node?: string; lineEventSize?: number; startNs?: number; endNs?: number; events?: { tNs: number; rising: boolean; lineSeqno: number; seenNs: number }[] };
  samples: EdgeSample[];
  toggles: number;
}

/** The edge probe's report, its events paired by index with the helper's toggles. */
export function edgeProbe(results: readonly VmResult[]): EdgeProbe {
  const [raw] = byScenario(results, 'edge-timestamps');
  const run = appRun(raw ?? { scenario: 'edge-timestamps', exit: NaN });
  let report: EdgeProbe['report'] = {};
  try {
    report = JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as EdgeProbe['report'];
  } catch {
    // reported as missing events below
  }
  const toggles = byScenario(results, 'edge-timestamps-helper').filter((r) => r.i !== undefined);
  const samples = (report.events ?? []).map((e, i): EdgeSample => {
    const t = toggles.find((x) => Number(x.i) === i);
    return {
      i,
      ...e,
      ...(t ? { pull: String(t.pull), beforeNs: Number(t.beforeNs), afterNs: Number(t.afterNs) } : {}),
    };
  });
  return { run, report, samples, toggles: toggles.length };
}

/** What the idle scenario measured over its window, per reading. */
export interface IdleCost {
  readings: number;
  /** Times the main thread slept of its own accord, per reading: its wake-ups. */
  wakesPerReading: number;
  /** CPU on the emulated CPU (every thread, schedstat), per reading: indicative only under TCG. */
  cpuSecondsPerReading: number;
}

export function idleCost(r: VmResult): IdleCost {
  const sample = (k: 'before' | 'after') => {
    const v = r[k] as { cpuNs?: unknown; mainSleeps?: unknown; readings?: unknown } | undefined;
    const n = (x: unknown, what: string) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`idle-gpiochip: ${k}.${what} is ${JSON.stringify(x)}, not a number`);
      return x;
    };
    return { cpuNs: n(v?.cpuNs, 'cpuNs'), mainSleeps: n(v?.mainSleeps, 'mainSleeps'), readings: n(v?.readings, 'readings') };
  };
  const [a, b] = [sample('before'), sample('after')];
  const readings = b.readings - a.readings;
  return { readings, wakesPerReading: (b.mainSleeps - a.mainSleeps) / readings, cpuSecondsPerReading: (b.cpuNs - a.cpuNs) / 1e9 / readings };
}
