// Part 4: /metrics under load. The light-sensor (bundle on this machine's Node, mock at a
// constant 100 lux) serves wrk at a fixed rate for a window while it keeps taking a reading a
// second; an idle window comes first as the baseline: the status page is there, nobody has it
// open. Then ten open status pages: each loads the page and its files once, then holds its
// event stream for the window. Per window: wrk's latency and errors, the app's CPU from /proc,
// and whether the readings stayed on time and accurate (from the app's own JSON logs).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CALIBRATION, luxFromChargeTime } from '@gpio-fleet/gpio';
import { procCpuSeconds } from '@gpio-fleet/test-tools/process-accounting';
import { freePort, httpText, jsonLines, start, waitFor } from '@gpio-fleet/test-tools/processes';
import { sampleValue } from '@gpio-fleet/test-tools/prometheus';
import { bundlePath, REPO, type Log } from '../lib/prerequisites.js';
import { max, median, percentile } from '../lib/stats.js';

export const LUX = 100;

/** Threads and connections per target rate: enough connections that a slow reply does not hold up the schedule. */
const WRK_SHAPE: Record<number, { threads: number; connections: number }> = { 50: { threads: 1, connections: 4 }, 500: { threads: 2, connections: 16 } };

/** What bench/lua/paced.lua prints after WRK_JSON, plus how wrk was run. */
export interface WrkSummary {
  requests: number;
  durationUs: number;
  latencyUs: { p50: number; p99: number; max: number };
  errors: Record<string, number>;
  threads: number;
  connections: number;
  achievedRate: number;
  command: string;
}

/** Run wrk at `rate` requests/s for `seconds` against `url`; returns its WRK_JSON summary. */
async function wrk(url: string, rate: number, seconds: number): Promise<WrkSummary> {
  const { threads, connections } = WRK_SHAPE[rate] ?? { threads: 2, connections: Math.max(4, Math.ceil(rate / 25)) };
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '2s', '-s', join(REPO, 'bench', 'lua', 'paced.lua'), url, '--', String(rate / threads)];
  const p = start('wrk', args);
  const { code } = await p.exited;
  const line = p.stdout().split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (code !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${p.stdout()}${p.stderr()}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length)) as Omit<WrkSummary, 'threads' | 'connections' | 'achievedRate' | 'command'>;
  return { ...r, threads, connections, achievedRate: r.requests / (r.durationUs / 1e6), command: `wrk ${args.join(' ')}` };
}

export interface WindowReadings {
  readings: number;
  failed: number;
  skipped: number;
  luxErrorMedian: number;
  luxErrorMax: number;
  singleReadingErrorMedian: number;
  singleReadingErrorMax: number;
  intervalP50: number;
  intervalMax: number;
}

/** Readings the app logged between two wall-clock instants, and how they fared. */
function readingsBetween(records: Record<string, unknown>[], from: number, to: number, skipped: number): WindowReadings {
  const at = (r: Record<string, unknown>) => Date.parse(String(r.time));
  const rs = records.filter((r) => (r.msg === 'reading' || r.msg === 'reading failed') && at(r) >= from && at(r) < to);
  const ok = rs.filter((r) => r.msg === 'reading');
  if (rs.length === 0) throw new Error(`light-sensor logged no reading between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}: is it running with --log-delta 0?`);
  const times = rs.map((r) => at(r) / 1000);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const estimateErr = ok.map((r) => Math.abs((r.lux as number) / LUX - 1));
  const singleErr = ok.map((r) => Math.abs(luxFromChargeTime(r.chargeSeconds as number, DEFAULT_CALIBRATION) / LUX - 1));
  return {
    readings: rs.length,
    failed: rs.length - ok.length,
    skipped,
    luxErrorMedian: median(estimateErr),
    luxErrorMax: max(estimateErr),
    singleReadingErrorMedian: median(singleErr),
    singleReadingErrorMax: max(singleErr),
    // Log timestamps have millisecond resolution: good enough to see a late reading.
    intervalP50: percentile(gaps, 50),
    intervalMax: max(gaps),
  };
}

export interface LoadWindow {
  rate: number;
  /** Status pages open during the window. */
  viewers: number;
  /** Updates each open page received in the window (median over the pages). */
  updatesPerViewer: number | undefined;
  seconds: number;
  appCpuFraction: number;
  wrk: WrkSummary | undefined;
  readings: WindowReadings;
}

export interface MetricsLoadResult {
  lux: number;
  pacing: string;
  windows: LoadWindow[];
}

/** The files a browser loads for the status page, before it opens the event stream. */
const PAGE_FILES = ['', 'status/page.css', 'status/page.js', 'status/panel.css', 'status/panel.js', 'status/icon.svg'];

/** `count` status pages: each loads the page once, then holds status/events and counts its updates. */
async function openPages(base: string, count: number): Promise<{ close(): Promise<number[]> }> {
  const pages = await Promise.all(
    Array.from({ length: count }, async () => {
      for (const f of PAGE_FILES) {
        const r = await fetch(`${base}/${f}`);
        if (!r.ok) throw new Error(`${base}/${f}: HTTP ${r.status}`);
        await r.arrayBuffer();
      }
      const abort = new AbortController();
      const res = await fetch(`${base}/status/events`, { signal: abort.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let updates = 0;
      const reading = (async () => {
        try {
          for (;;) {
            const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
            if (done) return;
            text += decoder.decode(value, { stream: true });
            const frames = text.split('\n\n');
            text = frames.pop()!;
            updates += frames.filter((f) => f.startsWith('event: update')).length;
          }
        } catch {
          // aborted at the end of the window
        }
      })();
      return {
        async stop() {
          abort.abort();
          await reading;
          return updates;
        },
      };
    }),
  );
  return { close: () => Promise.all(pages.map((p) => p.stop())) };
}

/** Reading boundaries the app skipped so far (its log says so at most once a minute). */
async function skippedReadings(base: string): Promise<number> {
  const text = await httpText(`${base}/metrics`);
  const n = text === undefined ? undefined : sampleValue(text, 'light_sensor_readings_skipped_total');
  if (n === undefined) throw new Error(`${base}/metrics has no light_sensor_readings_skipped_total`);
  return n;
}

export async function measureMetricsLoad({ seconds, rates, viewers, log }: { seconds: number; rates: number[]; viewers: number; log: Log }): Promise<MetricsLoadResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // --log-delta 0: every reading logged with its time, which is how this part sees late or lost ones.
  const app = start(process.execPath, [bundlePath('light-sensor'), '--gpio', 'mock', '--mock-lux', String(LUX), '--log-delta', '0', '--port', String(port), '--host', '127.0.0.1']);
  try {
    await waitFor('light-sensor /readyz', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 15_000, 20);
    const windows: LoadWindow[] = [];
    const plan = [{ rate: 0, pages: 0 }, { rate: 0, pages: viewers }, ...rates.map((rate) => ({ rate, pages: 0 }))];
    for (const { rate, pages } of plan) {
      log(`part 4: ${rate > 0 ? `${rate} requests/s against /metrics` : pages > 0 ? `${pages} open status pages` : 'idle baseline, no status page open'} for ${seconds} s`);
      // The pages load before the window: what is measured is them being open.
      const open = pages > 0 ? await openPages(base, pages) : undefined;
      const skipped0 = await skippedReadings(base);
      const from = Date.now();
      const cpu0 = procCpuSeconds(app.child.pid!);
      const load = rate === 0 ? await sleep(seconds * 1000).then(() => undefined) : await wrk(`${base}/metrics`, rate, seconds);
      const to = Date.now();
      const cpu1 = procCpuSeconds(app.child.pid!);
      const updates = await open?.close();
      // Let the last reading of the window reach the log.
      await sleep(200);
      const skipped = (await skippedReadings(base)) - skipped0;
      windows.push({
        rate,
        viewers: pages,
        updatesPerViewer: updates && median(updates),
        seconds: (to - from) / 1000,
        appCpuFraction: (cpu1! - cpu0!) / ((to - from) / 1000),
        wrk: load,
        readings: readingsBetween(jsonLines(app.stderr()), from, to, skipped),
      });
    }
    return { lux: LUX, pacing: 'bench/lua/paced.lua: per-thread constant-rate schedule in wrk 4 Lua (delay() per request)', windows };
  } finally {
    await app.stop(5000);
  }
}
