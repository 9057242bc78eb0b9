#!/usr/bin/env node
// Measures how much memory an app really uses, to size the charts' memory requests and limits.
// Starts the built app with the mock backend on 127.0.0.1, waits for /readyz, scrapes /metrics
// N times (default 100), then reads the peak (VmHWM) and current (VmRSS) resident set size of
// the app's process from /proc/<pid>/status.
//
//   node tests/charts/scripts/measure-memory.mjs [light-sensor|traffic-light ...] [--scrapes N] [--settle SECONDS]
// Needs the apps built (npm run build). Prints one line per app; exits 1 when an app fails.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => ok(port));
    });
  });
}

/** kB values of VmHWM and VmRSS from a /proc/<pid>/status text. */
export function parseStatus(text) {
  const kb = (field) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!m) throw new Error(`${field} missing from /proc status`);
    return Number(m[1]);
  };
  return { vmHWMkB: kb('VmHWM'), vmRSSkB: kb('VmRSS') };
}

/** User + system CPU seconds the process has used (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {string} app
 * @param {{ scrapes?: number, settleSeconds?: number }} [options]
 */
export async function measure(app, options = {}) {
  const scrapes = options.scrapes ?? 100;
  const cli = `${repo}apps/${app}/dist/cli.js`;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the apps first (npm run build)`);
  const port = await freePort();
  const child = spawn(process.execPath, [cli, '--gpio', 'mock', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}: ${stderr}`);
      const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${app} not ready after 30 s: ${stderr}`);
      await sleep(100);
    }
    let bytes = 0;
    for (let i = 0; i < scrapes; i++) {
      const res = await fetch(`${base}/metrics`);
      if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
      bytes += (await res.text()).length;
    }
    // Let the app run its own loop for a while too (readings, phases, GC), and see what CPU that
    // idle loop costs.
    const settleSeconds = options.settleSeconds ?? 5;
    const cpuBefore = cpuSeconds(child.pid);
    await sleep(settleSeconds * 1000);
    const idleCpuCores = (cpuSeconds(child.pid) - cpuBefore) / settleSeconds;
    const status = parseStatus(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { app, pid: child.pid, scrapes, metricsBytes: Math.round(bytes / scrapes), idleCpuCores, ...status };
  } finally {
    child.kill('SIGTERM');
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
