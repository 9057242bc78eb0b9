#!/usr/bin/env node
// Measures how much memory an app really uses, to size the charts' memory requests and limits.
// Starts the built app with the mock backend on 127.0.0.1, waits for /readyz, scrapes /metrics
// N times (default 100), then reads the peak (VmHWM) and current (VmRSS) resident set size of
// the app's process from /proc/<pid>/status, and its idle CPU over a settle period.
//
//   node tests/charts/scripts/measure-memory.mjs [light-sensor|traffic-light ...] [--scrapes N] [--settle SECONDS]
// Needs the apps built (npm run build). Prints one line per app; exits 1 when an app fails.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { procCpuSeconds, procMemoryKb } from '@gpio-fleet/test-tools/process-accounting';
import { freePort, start, waitFor } from '@gpio-fleet/test-tools/processes';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * @param {string} app
 * @param {{ scrapes?: number, settleSeconds?: number }} [options]
 */
export async function measure(app, options = {}) {
  const scrapes = options.scrapes ?? 100;
  const cli = `${repo}apps/${app}/dist/cli.js`;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the apps first (npm run build)`);
  const port = await freePort();
  const child = start(process.execPath, [cli, '--gpio', 'mock', '--host', '127.0.0.1', '--port', String(port)]);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${app} /readyz`, async () => {
      if (child.child.exitCode !== null) throw new Error(`${app} exited with ${child.child.exitCode}: ${child.stderr()}`);
      return (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) ? true : undefined;
    }, 30_000, 100);
    let bytes = 0;
    for (let i = 0; i < scrapes; i++) {
      const res = await fetch(`${base}/metrics`);
      if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
      bytes += (await res.text()).length;
    }
    // Let the app run its own loop for a while too (readings, phases, GC), and see what CPU that
    // idle loop costs.
    const settleSeconds = options.settleSeconds ?? 5;
    const pid = child.child.pid;
    const cpuBefore = procCpuSeconds(pid);
    await sleep(settleSeconds * 1000);
    const idleCpuCores = (procCpuSeconds(pid) - cpuBefore) / settleSeconds;
    const { hwmKb, rssKb } = procMemoryKb(pid);
    return { app, pid, scrapes, metricsBytes: Math.round(bytes / scrapes), idleCpuCores, vmHWMkB: hwmKb, vmRSSkB: rssKb };
  } finally {
    await child.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const num = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const apps = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  let failed = false;
  for (const app of apps.length > 0 ? apps : ['light-sensor', 'traffic-light']) {
    try {
      const r = await measure(app, { scrapes: num('--scrapes', 100), settleSeconds: num('--settle', 5) });
      console.log(
        `${r.app}: VmHWM ${(r.vmHWMkB / 1024).toFixed(1)} MiB, VmRSS ${(r.vmRSSkB / 1024).toFixed(1)} MiB after ${r.scrapes} scrapes of /metrics (${r.metricsBytes} bytes each), idle CPU ${(r.idleCpuCores * 1000).toFixed(1)}m, node ${process.version}, ${process.arch}`,
      );
    } catch (e) {
      console.error(`${app}: ${e instanceof Error ? e.message : e}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
