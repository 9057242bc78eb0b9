// Part 4: /metrics under load. The light-sensor (bundle on this machine's Node, mock at a
// constant 100 lux) serves wrk at a fixed rate for a window while it keeps taking a reading a
// second; an idle window comes first as the baseline. Per window: wrk's latency and errors,
// the app's CPU from /proc, and whether the readings stayed on time and accurate (from the
// app's own JSON logs).
import { join } from 'node:path';
import { DEFAULT_CALIBRATION, luxFromChargeTime } from '@gpio-fleet/gpio';
import { freePort } from '@gpio-fleet/test-tools';
import { bundlePath, REPO } from '../lib/prerequisites.mjs';
import { jsonLines, launch, poll, procCpuSeconds, sleep } from '../lib/processes.mjs';
import { max, median, percentile } from '../lib/stats.mjs';

export const LUX = 100;

/** Threads and connections per target rate: enough connections that a slow reply does not hold up the schedule. */
const WRK_SHAPE = { 50: { threads: 1, connections: 4 }, 500: { threads: 2, connections: 16 } };

/** Run wrk at `rate` requests/s for `seconds` against `url`; returns its WRK_JSON summary. */
async function wrk(url, rate, seconds) {
  const { threads, connections } = WRK_SHAPE[rate] ?? { threads: 2, connections: Math.max(4, Math.ceil(rate / 25)) };
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '2s', '-s', join(REPO, 'bench', 'lua', 'paced.lua'), url, '--', String(rate / threads)];
  const p = launch('wrk', args);
  const { code } = await p.exited;
  const line = p.stdout().split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (code !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${p.stdout()}${p.stderr()}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length));
  return { ...r, threads, connections, achievedRate: r.requests / (r.durationUs / 1e6), command: `wrk ${args.join(' ')}` };
}

/** Readings the app logged between two wall-clock instants, and how they fared. */
function readingsBetween(records, from, to) {
  const rs = records.filter((r) => (r.msg === 'reading' || r.msg === 'reading failed') && Date.parse(r.time) >= from && Date.parse(r.time) < to);
  const ok = rs.filter((r) => r.msg === 'reading');
  const times = rs.map((r) => Date.parse(r.time) / 1000);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const estimateErr = ok.map((r) => Math.abs(r.lux / LUX - 1));
  const singleErr = ok.map((r) => Math.abs(luxFromChargeTime(r.chargeSeconds, DEFAULT_CALIBRATION) / LUX - 1));
  return {
    readings: rs.length,
    failed: rs.length - ok.length,
    skipped: records.filter((r) => /^skipping a reading/.test(r.msg ?? '') && Date.parse(r.time) >= from && Date.parse(r.time) < to).length,
    luxErrorMedian: median(estimateErr),
    luxErrorMax: max(estimateErr),
    singleReadingErrorMedian: median(singleErr),
    singleReadingErrorMax: max(singleErr),
    // Log timestamps have millisecond resolution: good enough to see a late reading.
    intervalP50: percentile(gaps, 50),
    intervalMax: max(gaps),
  };
}

/** @param {{ seconds: number, rates: number[], log: (l: string) => void }} o */
export async function measureMetricsLoad({ seconds, rates, log }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = launch(process.execPath, [bundlePath('light-sensor'), '--gpio', 'mock', '--mock-lux', String(LUX), '--port', String(port), '--host', '127.0.0.1']);
  try {
    await poll('light-sensor /readyz', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 15_000);
    const windows = [];
    for (const rate of [0, ...rates]) {
      log(`part 4: ${rate === 0 ? 'idle baseline' : `${rate} requests/s against /metrics`} for ${seconds} s`);
      const from = Date.now();
      const cpu0 = procCpuSeconds(app.child.pid);
      const load = rate === 0 ? await sleep(seconds * 1000).then(() => undefined) : await wrk(`${base}/metrics`, rate, seconds);
      const to = Date.now();
      const cpu1 = procCpuSeconds(app.child.pid);
      // Let the last reading of the window reach the log.
      await sleep(200);
      windows.push({
        rate,
        seconds: (to - from) / 1000,
        appCpuFraction: (cpu1 - cpu0) / ((to - from) / 1000),
        wrk: load,
        readings: readingsBetween(jsonLines(app.stderr()), from, to),
      });
    }
    return { lux: LUX, pacing: 'bench/lua/paced.lua: per-thread constant-rate schedule in wrk 4 Lua (delay() per request)', windows };
  } finally {
    app.kill('SIGTERM');
    await Promise.race([app.exited, sleep(5000)]);
    app.kill('SIGKILL');
  }
}
