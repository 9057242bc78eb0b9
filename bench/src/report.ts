// The results as Markdown: one section per part, then the key ratios. Printed at the end of
// a run and written into bench/README.md.
import { mb, mib, ms, pct, sig, table, times } from './lib/format.js';
import { machineLine } from './lib/machine.js';
import { ratio } from './lib/stats.js';
import type { FidelityResult } from './parts/fidelity.js';
import type { FootprintResult } from './parts/footprint.js';
import type { MetricsLoadResult } from './parts/metrics-load.js';
import { isFloor, type Ratios, type ReadingCostResult } from './parts/reading-cost.js';
import type { Lateness, TrafficTimingResult } from './parts/traffic-timing.js';
import { failed, type Parts, type ReportInput } from './results.js';

const kb = (k: number) => mib(k * 1024);

/** kB (as /proc and GNU time count) as decimal megabytes, the unit the memory targets use. */
const mbOfKb = (k: number) => mb(k * 1024);
/** A difference in decimal megabytes, with its sign. */
const mbAbove = (k: number) => `${k >= 0 ? '+' : '−'}${mb(Math.abs(k) * 1024)}`;

/** Ours against its floor's CPU: a ratio means nothing when the floor used none in the window. */
const aboveFloor = (q: Ratios) => `+${ms(q.cpuAboveFloorPerSecond)}/s${Number.isFinite(q.cpuVsFloor) ? ` (${times(q.cpuVsFloor)})` : ' (the floor used none)'}`;

function readingCost(r: ReadingCostResult): string {
  const floorOf: Partial<Record<string, Ratios>> = { bundle: r.ratios.bundle, sea: r.ratios.sea };
  const rows = r.contenders.map((c) => {
    const q = floorOf[c.id];
    const floor = isFloor(c.id);
    return [
      c.label,
      floor ? '–' : sig(c.readings, 3),
      floor ? '–' : ms(c.steadyCpuPerReading),
      ms(c.steadyCpuPerSecond),
      q ? aboveFloor(q) : '',
      ms(c.startupCpuSeconds),
      mbOfKb(c.idleRssKb),
      q ? mbAbove(q.rssAboveFloorKb) : '',
      mbOfKb(c.maxRssKb),
      c.id === 'busyloop' ? `${sig(c.medianValue, 4)} iterations` : c.id === 'gpiozero' ? `value ${sig(c.medianValue, 3)}` : floor ? '' : `${ms(c.medianValue)} mean charge`,
    ];
  });
  const [b, s] = [r.ratios.bundle, r.ratios.sea];
  const bundle = r.contenders.find((c) => c.id === 'bundle')!;
  const wakes = r.contenders.find((c) => c.id === 'floor-wakes');
  return [
    `### 1. Cost of a light reading, and of being idle`,
    '',
    `Charge time ${ms(r.chargeSeconds)} (${sig(r.lux, 3)} lux on the default calibration), one reading a second, all ${r.contenders.length} side by side; medians of ${r.repetitions} repetition${r.repetitions === 1 ? '' : 's'} (ratios and differences: medians of each repetition's own). ` +
      `"Steady" is each process's CPU-time clock (user + system, every thread, nanosecond resolution) over ${r.window.seconds} s from ${r.window.fromSeconds} s after the start, per reading and per second; "start-up" the same clock from exec to the window. ` +
      `The floors are a bare Node HTTP server answering a scrape (bench/node/bare-http-server.cjs), one on each Node ours runs on; each of ours is compared with the floor of its own Node. ` +
      `The third floor adds to the host Node's the three empty timers a second at the moments a reading wakes the process (0, 100 and 102 ms into each second: drive LOW, end of the 100 ms discharge, the edge): what a reading costs before it does any work. ` +
      `Ours count their readings from /metrics just before and after the window; their result is the mean charge time in it. ` +
      `Idle RSS: VmRSS after ${r.scrapes} scrapes of /metrics (then a second's pause), read for all at the same moment; gpiozero and the busy loop serve nothing and are read then too. Peak RSS from \`/usr/bin/time -v\`.`,
    '',
    table(['contender', 'readings in window', 'CPU / reading (steady)', 'CPU / s (steady)', 'CPU vs its floor', 'start-up CPU', `RSS after ${r.scrapes} scrapes`, 'RSS above its floor', 'peak RSS', 'median result'], rows),
    '',
    `Targets: steady CPU of the bundle at most 0.5 ms per reading: ${ms(bundle.steadyCpuPerReading)} (${bundle.steadyCpuPerReading <= 0.5e-3 ? 'met' : 'not met'}); idle RSS at most the floor + 6 MB: bundle ${mbAbove(b.rssAboveFloorKb)} (${b.rssAboveFloorKb * 1024 <= 6e6 ? 'met' : 'not met'}), SEA ${mbAbove(s.rssAboveFloorKb)} (${s.rssAboveFloorKb * 1024 <= 6e6 ? 'met' : 'not met'}). ` +
      `Steady CPU per reading against gpiozero: bundle ${times(b.steadyCpuVsGpiozero)}, SEA ${times(s.steadyCpuVsGpiozero)}; against the busy loop: ${times(b.steadyCpuVsBusyLoop)}, ${times(s.steadyCpuVsBusyLoop)}. Idle RSS against gpiozero: ${times(b.rssVsGpiozero)}, ${times(s.rssVsGpiozero)}.` +
      (wakes ? ` The wake-ups alone (third floor) cost ${ms(wakes.steadyCpuPerSecond)}/s; the bundle's work above them is ${ms(b.cpuAboveWakeFloorPerSecond)}/s.` : ''),
  ].join('\n');
}

function fidelity(r: FidelityResult): string {
  const rows = r.settings.map((s) => [
    sig(s.lux, 3),
    ms(s.chargeSeconds),
    pct(s.relativeError, 2),
    `${sig(s.singleReading.resolutionLux, 2)} (${pct(s.singleReading.relativeResolution, 2)})`,
    `${sig(s.reportedEstimate.resolutionLux, 2)} (${pct(s.reportedEstimate.relativeResolution, 2)})`,
    sig(s.ourLevel, 3),
    `${sig(s.gpiozeroValue, 3)} (ideal ${sig(s.gpiozeroIdealValue, 3)})`,
    String(s.timeouts),
  ]);
  const first = r.settings[0]!;
  return [
    `### 2. Fidelity (mock with its jitter model)`,
    '',
    `${first.readings} readings per setting with the app's sampler (1 s interval, 0.1 s discharge, median of ${r.sampler.queueLen}) on a VirtualClock (${sig(r.seconds.ours, 2)} s for the whole sweep). ` +
      `Noise: ${r.noiseModel}. Resolution = 1.96·√2·σ of the lux values (the smallest step two readings tell apart at 95 %), for single readings and for the reported median-of-${r.sampler.queueLen}. ` +
      `gpiozero: LightSensor on MockChargingPin with our model's charge time, median \`value\` of ${first.gpiozeroValues.length} full queues; "ideal" is its formula without thread latency. ` +
      `gpiozero's value is 0 from ${sig(r.gpiozeroSaturationLux, 3)} lux down (charge time ≥ charge_time_limit = 10 ms): it cannot tell 0.1 lux from 10 lux, where our lux estimate keeps its relative resolution. Our level column uses the same formula and saturates the same way; the lux estimate is what carries the information.`,
    '',
    table(['lux', 'charge time', 'error of our estimate', 'resolution, single reading: lux (rel.)', 'resolution, reported median: lux (rel.)', 'our level', 'gpiozero value', 'timeouts'], rows),
  ].join('\n');
}

function trafficTiming(r: TrafficTimingResult): string {
  const row = (name: string, s: Lateness) => [name, ms(s.p50), ms(s.p99), ms(s.max), ms(s.finalDrift)];
  return [
    `### 3. Traffic-light timing`,
    '',
    `${r.phases} phases of ${r.phaseMs} ms. Ours: the traffic-light bundle, lateness from its JSON logs (latenessSeconds); boundaries are anchored to the start. Naive: lamps, \`await sleep(${r.phaseMs})\`, repeat (bench/src/naive-traffic-light.ts), measured against start + k·${r.phaseMs} ms. "Loaded": ${r.load}.`,
    '',
    table(['run', 'lateness p50', 'p99', 'max', 'drift at the last phase'], [
      row('ours, idle', r.idle.ours!),
      row('naive, idle', r.idle.naive!),
      row('ours, one core loaded', r.loaded.ours!),
      row('naive, one core loaded', r.loaded.naive!),
    ]),
  ].join('\n');
}

const pageWindow = (r: MetricsLoadResult) => r.windows.find((w) => (w.viewers ?? 0) > 0);
const pageViewers = (r: MetricsLoadResult) => String(pageWindow(r)?.viewers ?? 0);
const pageUpdates = (r: MetricsLoadResult) => String(pageWindow(r)?.updatesPerViewer ?? '–');

function metricsLoad(r: MetricsLoadResult): string {
  const rows = r.windows.map((w) => [
    w.rate > 0 ? `${w.rate}/s` : (w.viewers ?? 0) > 0 ? `${w.viewers} status pages open` : 'idle (no page open)',
    w.wrk ? sig(w.wrk.achievedRate, 3) : '–',
    w.wrk ? ms(w.wrk.latencyUs.p50 / 1e6) : '–',
    w.wrk ? ms(w.wrk.latencyUs.p99 / 1e6) : '–',
    w.wrk ? ms(w.wrk.latencyUs.max / 1e6) : '–',
    w.wrk ? String(Object.values(w.wrk.errors).reduce((a, b) => a + b, 0)) : '–',
    pct(w.appCpuFraction, 2),
    `${w.readings.readings} (${w.readings.failed} failed, ${w.readings.skipped} skipped)`,
    `${pct(w.readings.luxErrorMedian, 2)} / ${pct(w.readings.luxErrorMax, 2)}`,
    ms(w.readings.intervalMax, 4),
  ]);
  return [
    `### 4. /metrics under load`,
    '',
    `light-sensor (bundle, mock at ${r.lux} lux). Each window ${sig(r.windows[0]!.seconds, 2)} s. Load: wrk 4.1 (Debian; no rate option, wrk2 not packaged) with ${r.pacing}; 50/s = 1 thread × 4 connections, 500/s = 2 threads × 16. ` +
      `"Status pages open": each of ${pageViewers(r)} clients loads the page and its files once before the window, then holds its event stream (${pageUpdates(r)} updates each in the window); "idle" has the page served but none open. ` +
      `Lux error = |reported lux / ${r.lux} − 1| from the app's reading logs. The mock timestamps edges with simulated time, so load cannot bend a charge time here; what load can do is delay or skip readings (the reading interval column) — on a Pi the kernel timestamps edges (gpiochip), which likewise keeps load out of the measurement.`,
    '',
    table(['load', 'achieved req/s', 'latency p50', 'p99', 'max', 'errors', 'app CPU (of one core)', 'readings', 'lux error median / max', 'longest reading interval'], rows),
  ].join('\n');
}

/** light-sensor + traffic-light per platform: one runtime layer (shared) and both app layers. */
function firstInstall(r: FootprintResult): string[][] {
  const bytes = (rows: readonly FootprintResult['zstdLayers'][number][] | undefined, platform: string) => {
    const both = (rows ?? []).filter((l) => l.platform === platform && (l.app === 'light-sensor' || l.app === 'traffic-light'));
    return both.length === 2 ? both[0]!.runtimeBytes + both[0]!.appBytes + both[1]!.appBytes : undefined;
  };
  return [...new Set(r.layers.map((l) => l.platform))].map((platform) => {
    const [gzip, zstd] = [bytes(r.layers, platform), bytes(r.zstdLayers, platform)];
    return [platform, mb(gzip), mb(zstd), gzip && zstd ? pct(zstd / gzip) : 'n/a'];
  });
}

function footprint(r: FootprintResult): string {
  const exe = r.executables.map((e) => [e.app, e.arch, e.node, mb(e.bytes), mb(e.gzipBytes)]);
  const layers = r.layers.map((l) => [l.app, l.platform, mb(l.runtimeBytes), mb(l.appBytes), mb(l.runtimeBytes + l.appBytes), l.runtimeDigest.slice(0, 19)]);
  const runs = r.runs.map((x) => [x.app, x.how, String(x.repetitions), ms(x.startupSeconds, 3), kb(x.rssKb)]);
  const out = [
    `### 5. Footprint`,
    '',
    'Executables (dist/bin; gzip -6):',
    '',
    table(['app', 'arch', 'embedded Node', 'raw', 'gzipped'], exe),
    '',
    'Image layers (dist/images; compressed as pushed; the runtime layer is shared by both apps of a platform):',
    '',
    table(['app', 'platform', 'runtime layer', 'app layer', 'total', 'runtime layer digest'], layers),
    '',
    'First install of both apps on one node (the shared runtime layer once, both app layers), gzip (dist/images) and zstd (dist/images-zstd, `npm run build:images -- --compression zstd`):',
    '',
    table(['platform', 'gzip', 'zstd', 'zstd / gzip'], firstInstall(r)),
    '',
    `Start-up to the first 200 from /readyz and RSS after 100 scrapes of /metrics (median of the runs). ${r.notes.join(' ')}`,
    '',
    table(['app', 'how', 'runs', 'start-up to /readyz', 'RSS after 100 scrapes'], runs),
  ];
  if (r.update) {
    out.push(
      '',
      `Update after a code-only change (${r.update.change}; images rebuilt, gzip and zstd, in ${sig(r.update.rebuildSeconds, 2)} s): what a Pi holding the current image pulls.`,
      '',
      table(
        ['platform', 'layers', 'runtime layer reused', 'blobs pulled', 'bytes pulled'],
        [
          ...r.update.platforms.map((p) => ({ ...p, c: 'gzip' })),
          ...r.update.zstdPlatforms.map((p) => ({ ...p, c: 'zstd' })),
        ].map((p) => [p.platform, p.c, p.runtimeLayerShared ? 'yes' : 'NO', p.pulled.map((b) => `${b.kind} ${b.bytes} B`).join(', '), mb(p.pulledBytes)]),
      ),
    );
  }
  // The report is only written for a complete image build, which always has arm/v7.
  const armv7 = r.layers.find((l) => l.app === 'light-sensor' && l.platform === 'linux/arm/v7')!;
  const update = r.update?.platforms.find((p) => p.platform === 'linux/arm/v7')?.pulledBytes ?? armv7.appBytes;
  out.push(
    '',
    'Against the original system (image sizes as the study reported them; a FROM-scratch single-layer image is pulled whole on every update):',
    '',
    table(
      ['image', 'size', 'our light-sensor update (arm/v7) is'],
      [
        ...r.original.map((o) => [o.image, mb(o.bytes), `${times(ratio(o.bytes, update))} smaller`]),
        ['ours: light-sensor arm/v7, first pull (runtime + app layer)', mb(armv7.runtimeBytes + armv7.appBytes), ''],
        ['ours: light-sensor arm/v7, update (app layer + manifests)', mb(update), ''],
      ],
    ),
  );
  return out.join('\n');
}

/** The key ratios the issue asks for, in one list. */
export function keyRatios(results: { parts: Parts }): string {
  const parts = results.parts;
  const out: string[] = [];
  const rc = parts.readingCost;
  if (rc && !failed(rc)) {
    const [b, s] = [rc.ratios.bundle, rc.ratios.sea];
    const cps = (id: string) => rc.contenders.find((c) => c.id === id)?.steadyCpuPerReading;
    out.push(`Steady CPU per reading, ours: ${ms(cps('bundle'))} bundle, ${ms(cps('sea'))} SEA; gpiozero paced to 1/s ${ms(cps('gpiozero'))} (bundle ${times(b.steadyCpuVsGpiozero)} gpiozero); the busy loop ${ms(cps('busyloop'))}`);
    out.push(`Steady CPU above the bare-Node floor of the same Node: bundle ${aboveFloor(b)}, SEA ${aboveFloor(s)}; the bundle above the floor with a reading's three wake-ups: ${ms(b.cpuAboveWakeFloorPerSecond)}/s`);
    out.push(`Idle RSS after ${rc.scrapes} scrapes above the floor: bundle ${mbAbove(b.rssAboveFloorKb)}, SEA ${mbAbove(s.rssAboveFloorKb)}; against gpiozero ${times(b.rssVsGpiozero)} (SEA ${times(s.rssVsGpiozero)})`);
  }
  const t = parts.trafficTiming;
  if (t && !failed(t)) {
    const [io, inv, lo, lnv] = [t.idle.ours!, t.idle.naive!, t.loaded.ours!, t.loaded.naive!];
    out.push(
      `Lateness p99, ours vs naive: ${ms(io.p99)} vs ${ms(inv.p99)} idle (naive ${times(ratio(inv.p99, io.p99))} ours), ` +
        `${ms(lo.p99)} vs ${ms(lnv.p99)} with a core loaded (${times(ratio(lnv.p99, lo.p99))}); ` +
        `drift after ${t.phases} phases ${ms(io.finalDrift)} vs ${ms(inv.finalDrift)} idle, ${ms(lo.finalDrift)} vs ${ms(lnv.finalDrift)} loaded`,
    );
  }
  const f = parts.footprint;
  if (f && !failed(f)) {
    const armv7 = f.update?.platforms.find((x) => x.platform === 'linux/arm/v7')?.pulledBytes ?? f.layers.find((l) => l.app === 'light-sensor' && l.platform === 'linux/arm/v7')?.appBytes;
    out.push(`Update bytes (light-sensor, arm/v7) vs the original images: ${mb(armv7)} vs 24.7 MB PyInstaller (${times(ratio(24.7e6, armv7!))} less), 760 MB naive Python (${times(ratio(760e6, armv7!))} less), 2.39 MB C (${times(ratio(2.39e6, armv7!))} less)`);
  }
  return out.map((l) => `- ${l}`).join('\n');
}

export function markdownReport(results: ReportInput): string {
  const p = results.parts;
  const sections = [
    `Run ${results.startedAt} (${sig(results.totalSeconds, 3)} s in all${Object.keys(results.builds).length ? `, of which builds: ${Object.entries(results.builds).map(([k, v]) => `npm run ${k} ${sig(v, 3)} s`).join(', ')}` : ''}) with \`${results.command}\`.`,
    '',
    `Machine: ${machineLine(results.machine)}; load average at start ${results.machine.loadAverage.join(' / ')}.`,
    '',
    '**Key ratios**',
    '',
    keyRatios(results),
  ];
  const section = <T extends object>(key: string, r: T | { error: string } | undefined, render: (r: T) => string) => {
    if (!r) return;
    sections.push('', failed(r) ? `### ${key}\n\nFAILED: ${r.error}` : render(r));
  };
  section('readingCost', p.readingCost, readingCost);
  section('fidelity', p.fidelity, fidelity);
  section('trafficTiming', p.trafficTiming, trafficTiming);
  section('metricsLoad', p.metricsLoad, metricsLoad);
  section('footprint', p.footprint, footprint);
  return sections.join('\n');
}
