// The process_* and nodejs_* families every service exports: the names and meanings of
// prom-client's default metrics (so dashboards built on them keep working), but only those
// that cost nothing between scrapes. Everything here is read when /metrics is scraped; there
// is no timer, no observer and no module loaded for it.
//
// Left out of prom-client's defaults, and why (bench/README.md has the measurements):
// - nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds: a histogram fed by a
//   timer that wakes the process every 10 ms (100 ms as we had it): ten wake-ups a second in
//   an app that otherwise wakes three times per reading. nodejs_eventloop_lag_seconds stays,
//   measured when scraped; late readings show in the apps' own families (skipped readings,
//   phase lateness).
// - nodejs_gc_duration_seconds: a PerformanceObserver that runs JavaScript after every
//   garbage collection.
// - nodejs_heap_space_size_{total,used,available}_bytes: loads node:v8, and 3 families × 8-12
//   heap spaces that nobody alerts on; nodejs_heap_size_* gives the totals.
// - nodejs_active_{handles,requests,resources}(_total): gauges named like counters, which
//   promtool rejects.
import { readdirSync, readFileSync } from 'node:fs';
import { Counter, Gauge, type Registry } from './prom.js';

/** The families registerProcessMetrics adds, for the docs and the tests. */
export const PROCESS_FAMILIES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_version_info',
] as const;

/** VmSize, VmRSS and VmData of /proc/self/status in bytes (empty where there is no procfs). */
export function procStatusBytes(text: string): { VmSize?: number; VmRSS?: number; VmData?: number } {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(VmSize|VmRSS|VmData):\s+(\d+) kB$/gm)) out[m[1]!] = Number(m[2]) * 1024;
  return out;
}

/** "Max open files" (the soft limit) from /proc/self/limits. */
export function maxOpenFiles(text: string): number | undefined {
  const m = /^Max open files\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Waits one turn of the event loop and says how long it took, in seconds. */
function loopLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  const maxFds = maxOpenFiles(readProc('/proc/self/limits') ?? '');

  // One collect reads the CPU times for all three counters, as prom-client does.
  const cpuUser = new Counter({ name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.', registers });
  const cpuSystem = new Counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.', registers });
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers,
    collect() {
      const { user, system } = process.cpuUsage();
      const set = (c: Counter, micros: number) => {
        c.reset();
        c.inc(micros / 1e6);
      };
      set(cpuUser, user);
      set(cpuSystem, system);
      set(this, user + system);
    },
  });
  new Gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', registers }).set(startTime);

  const rss = new Gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', registers });
  const vsize = new Gauge({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', registers });
  const heap = new Gauge({ name: 'process_heap_bytes', help: 'Process heap size in bytes.', registers });
  const heapTotal = new Gauge({ name: 'nodejs_heap_size_total_bytes', help: 'Process heap size from Node.js in bytes.', registers });
  const heapUsed = new Gauge({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', registers });
  new Gauge({
    name: 'nodejs_external_memory_bytes',
    help: 'Node.js external memory size in bytes.',
    registers,
    // One collect reads both sources for the five memory gauges.
    collect() {
      const m = process.memoryUsage();
      heapTotal.set(m.heapTotal);
      heapUsed.set(m.heapUsed);
      this.set(m.external);
      const status = procStatusBytes(readProc('/proc/self/status') ?? '');
      rss.set(status.VmRSS ?? m.rss);
      if (status.VmSize !== undefined) vsize.set(status.VmSize);
      if (status.VmData !== undefined) heap.set(status.VmData);
    },
  });

  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers,
    collect() {
      try {
        // The directory's own descriptor is open while it is read.
        this.set(readdirSync('/proc/self/fd').length - 1);
      } catch {
        // no procfs: the family stays without a sample
      }
    },
  });
  if (maxFds !== undefined) new Gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', registers }).set(maxFds);

  new Gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Lag of event loop in seconds, measured when scraped.',
    registers,
    async collect() {
      this.set(await loopLag());
    },
  });
  const [major, minor, patch] = process.versions.node.split('.');
  new Gauge({ name: 'nodejs_version_info', help: 'Node.js version info.', labelNames: ['version', 'major', 'minor', 'patch'], registers }).set(
    { version: process.version, major: Number(major), minor: Number(minor), patch: Number(patch) },
    1,
  );
}
