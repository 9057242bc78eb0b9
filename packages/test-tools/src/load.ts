// A paced HTTP load from this process: `rate` GETs per second for `seconds`, over keep-alive
// connections. Bounded in count and time, loopback only; it reports, it does not judge.
import { Agent, get } from 'node:http';

export interface LoadReport {
  sent: number;
  ok: number;
  errors: number;
  /** Latencies in ms, sorted. */
  latencies: number[];
}

export async function pacedLoad(url: string, rate: number, seconds: number, connections = 32): Promise<LoadReport> {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`load tests only target loopback, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const report: LoadReport = { sent: 0, ok: 0, errors: 0, latencies: [] };
  const total = Math.round(rate * seconds);
  const tickMs = 10;
  const perTick = (rate * tickMs) / 1000;
  const start = performance.now();
  const inflight = new Set<Promise<void>>();
  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = get(url, { agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) report.ok++;
          else report.errors++;
          report.latencies.push(performance.now() - t0);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        report.errors++;
        resolve();
      });
    });
  while (report.sent < total) {
    // Catch up to where the schedule says we should be (anchored to the start, no drift).
    const due = Math.min(total, Math.floor(((performance.now() - start) / tickMs) * perTick));
    while (report.sent < due) {
      report.sent++;
      const p = one().finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inflight);
  agent.destroy();
  report.latencies.sort((a, b) => a - b);
  return report;
}
