// Part 1's figures: medians over repetitions, ratios taken within each repetition (its
// contenders ran side by side), the report's targets, and the bare-Node floor itself.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freePort, start, waitFor } from '@gpio-fleet/test-tools/processes';
import type { Machine } from '../src/lib/machine.js';
import { REPO } from '../src/lib/prerequisites.js';
import { readingCounts, READING_WAKES, summarise, type ContenderId, type RepetitionRow } from '../src/parts/reading-cost.js';
import { markdownReport } from '../src/report.js';

const IDS: ContenderId[] = ['bundle', 'sea', 'gpiozero', 'busyloop', 'floor', 'floor-sea', 'floor-wakes'];
const list = IDS.map((id) => ({ id, label: `label ${id}`, command: 'cmd', args: [id] }));

/** A row with `cpuPerSecond` ms/s over 60 s and one reading a second (none for a floor). */
function row(id: ContenderId, cpuMsPerSecond: number, idleRssKb: number): RepetitionRow {
  const floor = id.startsWith('floor');
  const cpu = (cpuMsPerSecond / 1e3) * 60;
  return {
    id,
    readings: floor ? NaN : 60,
    startupCpuSeconds: 0.1,
    steady: { seconds: 60, cpuSeconds: cpu, cpuPerReading: floor ? NaN : cpu / 60, cpuPerSecond: cpu / 60 },
    idleRssKb,
    maxRssKb: idleRssKb + 100,
    medianValue: floor ? NaN : 0.002,
  };
}

// The second repetition ran on a busier machine: everything costs twice as much there.
const reps: RepetitionRow[][] = [
  [row('bundle', 0.4, 52_000), row('sea', 0.5, 58_000), row('gpiozero', 0.8, 26_000), row('busyloop', 2, 11_000), row('floor', 0.01, 51_000), row('floor-sea', 0, 55_000), row('floor-wakes', 0.2, 51_000)],
  [row('bundle', 1.2, 53_000), row('sea', 1, 58_500), row('gpiozero', 1.6, 26_000), row('busyloop', 4, 11_000), row('floor', 0.03, 50_000), row('floor-sea', 0, 55_500), row('floor-wakes', 0.6, 50_000)],
  [row('bundle', 0.6, 52_500), row('sea', 0.6, 58_200), row('gpiozero', 1.0, 26_500), row('busyloop', 2.5, 11_000), row('floor', 0.02, 51_500), row('floor-sea', 0, 55_100), row('floor-wakes', 0.3, 51_500)],
];

describe('summarise', () => {
  it('takes medians per contender and each ratio within its own repetition', () => {
    const { contenders, ratios } = summarise(list, reps);
    const bundle = contenders.find((c) => c.id === 'bundle')!;
    expect(bundle.steadyCpuPerSecond).toBeCloseTo(0.6e-3, 9);
    expect(bundle.idleRssKb).toBe(52_500);
    // Per repetition 0.5, 0.75, 0.6 of gpiozero: median 0.6. The ratio of the medians would be 0.6 / 1.0 too,
    // but the floor shows the difference: 40×, 40×, 30× (median 40×) against 0.6 / 0.02 = 30×.
    expect(ratios.bundle.steadyCpuVsGpiozero).toBeCloseTo(0.6, 9);
    expect(ratios.bundle.cpuVsFloor).toBeCloseTo(40, 9);
    expect(ratios.bundle.rssAboveFloorKb).toBe(1000);
    expect(ratios.sea.floor).toBe('floor-sea');
    expect(ratios.sea.rssAboveFloorKb).toBe(3000);
    // A floor that used no CPU in the window has no ratio, only a difference.
    expect(ratios.sea.cpuVsFloor).toBeNaN();
    expect(ratios.sea.cpuAboveFloorPerSecond).toBeCloseTo(0.6e-3, 9);
    // Above the wake-up floor: 0.2, 0.6, 0.3 ms/s per repetition, median 0.3.
    expect(ratios.bundle.cpuAboveWakeFloorPerSecond).toBeCloseTo(0.3e-3, 9);
  });
});

describe('the part-1 report', () => {
  const machine: Machine = { nproc: 2, cpuModel: 'Test CPU', memoryGiB: 8, os: 'Debian', kernel: '6.1.0', node: 'v20.0.0', python: '3.11.2', gpiozero: '1.6.2', wrk: '4.1.0', loadAverage: [0.1, 0.2, 0.3] };
  const report = (r: RepetitionRow[][]) =>
    markdownReport({
      command: 'npm run bench -- --parts 1',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalSeconds: 300,
      builds: {},
      machine,
      parts: {
        readingCost: { chargeSeconds: 0.002, lux: 98.9, checkChargeSeconds: 0.002, window: { fromSeconds: 15, seconds: 60 }, scrapes: 100, repetitions: r.length, perRepetition: r, ...summarise(list, r) },
      },
    });

  it('gives each of ours against the floor of its own Node, and says which targets hold', () => {
    const md = report(reps);
    expect(md).toContain('| contender | readings in window | CPU / reading (steady) | CPU / s (steady) | CPU vs its floor | start-up CPU | RSS after 100 scrapes | RSS above its floor | peak RSS | median result |');
    expect(md).toContain('| label bundle | 60 | 0.6 ms | 0.6 ms | +0.58 ms/s (40×) | 100 ms | 53.76 MB | +1.02 MB |');
    expect(md).toContain('| label sea | 60 | 0.6 ms | 0.6 ms | +0.6 ms/s (the floor used none) |');
    expect(md).toContain('| label floor | – | – | 0.02 ms |');
    expect(md).toContain('steady CPU of the bundle at most 0.5 ms per reading: 0.6 ms (not met)');
    expect(md).toContain('bundle +1.02 MB (met), SEA +3.07 MB (met)');
    expect(md).toContain("the bundle's work above them is 0.3 ms/s");
  });

  it('calls a target met only when it is', () => {
    const lighter = reps.map((rep) => rep.map((x) => (x.id === 'bundle' ? row('bundle', 0.45, x.idleRssKb + 6000) : x)));
    const md = report(lighter);
    expect(md).toContain('at most 0.5 ms per reading: 0.45 ms (met)');
    expect(md).toContain('bundle +7.17 MB (not met)');
  });
});

describe('bench/node/bare-http-server.cjs, the floor', () => {
  it('answers a scrape, 404s the rest and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const p = start(process.execPath, [join(REPO, 'bench', 'node', 'bare-http-server.cjs'), '--gpio', 'mock', '--port', String(port), '--host', '127.0.0.1']);
    try {
      const body = await waitFor('the floor to answer', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        return res?.ok ? res.text() : undefined;
      });
      expect(body).toMatch(/^up 1$/m);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      p.child.kill('SIGTERM');
      const [code] = (await once(p.child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      await p.stop();
    }
  });
});

describe('readingCounts: what the bench reads from light-sensor\'s /metrics', () => {
  it('sums the readings over their results and takes the charge histogram\'s sum and count', () => {
    const text = [
      '# TYPE light_sensor_readings_total counter',
      'light_sensor_readings_total{result="ok"} 58',
      'light_sensor_readings_total{result="timeout"} 2',
      'light_sensor_readings_total{result="error"} 0',
      'light_sensor_charge_seconds_bucket{le="0.001"} 0',
      'light_sensor_charge_seconds_sum 0.116',
      'light_sensor_charge_seconds_count 58',
    ].join('\n');
    expect(readingCounts(text)).toEqual({ readings: 60, chargeSecondsSum: 0.116, chargeSecondsCount: 58 });
  });
  it('fails on an exposition without the counters, rather than counting none', () => {
    expect(() => readingCounts('up 1\n')).toThrow(/no light_sensor_readings_total/);
  });
});

describe('bench/node/bare-http-server.cjs --wakes, the floor with a reading\'s wake-ups', () => {
  /** Times the main thread went to sleep of its own accord (each wake-up is one). */
  const sleeps = (pid: number) => Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'))![1]);

  it(`wakes ${READING_WAKES.split(',').length} times a second with --wakes ${READING_WAKES}, and not at all without`, async () => {
    const [withWakes, without] = [await freePort(), await freePort()];
    const floor = join(REPO, 'bench', 'node', 'bare-http-server.cjs');
    const a = start(process.execPath, [floor, '--port', String(withWakes), '--wakes', READING_WAKES]);
    const b = start(process.execPath, [floor, '--port', String(without)]);
    try {
      // Its log line, not a request: a kept-alive connection would wake the server when it times out.
      for (const p of [a, b]) await waitFor('the floor to listen', () => p.stderr().includes('"listening"') || undefined);
      const [a0, b0] = [sleeps(a.child.pid!), sleeps(b.child.pid!)];
      await sleep(4000);
      const [da, db] = [sleeps(a.child.pid!) - a0, sleeps(b.child.pid!) - b0];
      // Four seconds: 12 wake-ups, give or take a second's worth at either end.
      expect(da).toBeGreaterThanOrEqual(9);
      expect(da).toBeLessThanOrEqual(16);
      expect(db).toBeLessThanOrEqual(2);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('rejects a --wakes it cannot follow, naming it, with exit 2', async () => {
    const p = start(process.execPath, [join(REPO, 'bench', 'node', 'bare-http-server.cjs'), '--wakes', '100,5']);
    const [code] = (await once(p.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(p.stderr()).toContain('--wakes "100,5": expected increasing whole milliseconds within a second');
  });
});
