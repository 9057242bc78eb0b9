// Part 3: traffic-light timing. 500 phases of 50 ms: our traffic-light app (the shipped
// bundle on this machine's Node, lateness from its own JSON logs) against the naive
// chained-sleep loop (src/naive-traffic-light.ts), then both again while a busy-loop process
// holds another core.
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { jsonLines, start, type Started } from '@gpio-fleet/test-tools/processes';
import { bundlePath, type Log } from '../lib/prerequisites.js';
import { max, percentile } from '../lib/stats.js';

const CYCLE = ['red', 'red+amber', 'green', 'amber'];
const NAIVE = fileURLToPath(new URL('../naive-traffic-light.js', import.meta.url));

export interface Lateness {
  phases: number;
  p50: number;
  p99: number;
  max: number;
  finalDrift: number | undefined;
}

/** `lateness` in seconds, boundary by boundary. */
export function summarizeLateness(lateness: readonly number[]): Lateness {
  return {
    phases: lateness.length,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: max(lateness),
    // Both schedules are measured against start + k·period, so the last boundary's lateness
    // is how far the sequence has drifted from the ideal by the end.
    finalDrift: lateness[lateness.length - 1],
  };
}

async function finished(p: Started, what: string): Promise<void> {
  const { code, signal } = await Promise.race([p.exited, sleep(120_000).then(() => ({ code: 'timeout', signal: null }))]);
  if (code !== 0) {
    p.child.kill('SIGKILL');
    throw new Error(`${what} ended with ${code ?? signal}:\n${p.stderr().slice(-2000)}`);
  }
}

async function ours(phases: number, phaseMs: number): Promise<Lateness> {
  const spec = CYCLE.map((p) => `${p}:${phaseMs}ms`).join(',');
  const cycles = Math.ceil(phases / CYCLE.length);
  const p = start(process.execPath, [bundlePath('traffic-light'), '--gpio', 'mock', '--phases', spec, '--cycles', String(cycles), '--port', '0', '--host', '127.0.0.1']);
  await finished(p, 'traffic-light');
  const lateness = jsonLines(p.stderr())
    .filter((r) => r.msg === 'phase')
    .map((r) => r.latenessSeconds as number)
    .slice(0, phases);
  if (lateness.length !== phases) throw new Error(`traffic-light logged ${lateness.length} phases, expected ${phases}`);
  return summarizeLateness(lateness);
}

async function naive(phases: number, phaseMs: number): Promise<Lateness> {
  const p = start(process.execPath, [NAIVE, '--phases', String(phases), '--phase-ms', String(phaseMs)]);
  await finished(p, 'naive traffic light');
  return summarizeLateness((JSON.parse(p.stdout()) as { lateness: number[] }).lateness);
}

/**
 * A busy loop on the last core (taskset), standing in for a neighbour that saturates a core.
 * On a one-core machine it shares the only core.
 */
function loadOneCore(): Started {
  const cores = availableParallelism();
  const spin = ['-e', 'for (;;) {}'];
  return cores > 1 ? start('taskset', ['-c', String(cores - 1), process.execPath, ...spin]) : start(process.execPath, spin);
}

export interface TrafficTimingResult {
  phases: number;
  phaseMs: number;
  idle: { ours?: Lateness; naive?: Lateness };
  loaded: { ours?: Lateness; naive?: Lateness };
  load?: string;
}

export async function measureTrafficTiming({ phases, phaseMs, log }: { phases: number; phaseMs: number; log: Log }): Promise<TrafficTimingResult> {
  const out: TrafficTimingResult = { phases, phaseMs, idle: {}, loaded: {} };
  log(`part 3: ${phases} phases of ${phaseMs} ms, ours then naive, idle`);
  out.idle.ours = await ours(phases, phaseMs);
  out.idle.naive = await naive(phases, phaseMs);
  log('part 3: again with a busy-loop process on another core');
  const spinner = loadOneCore();
  try {
    await sleep(500);
    out.loaded.ours = await ours(phases, phaseMs);
    out.loaded.naive = await naive(phases, phaseMs);
  } finally {
    spinner.child.kill('SIGKILL');
    await spinner.exited;
  }
  out.load = availableParallelism() > 1 ? `node busy loop pinned with taskset to core ${availableParallelism() - 1}` : 'node busy loop on the only core';
  return out;
}
