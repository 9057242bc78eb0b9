#!/usr/bin/env node
// `npm run cluster:up` / `npm run cluster:down`: the tests' control plane, by hand.
//   gpio-fleet-cluster up     build (first time) and start it, register the fake fleet, print KUBECONFIG
//   gpio-fleet-cluster up --real-node   also a real node (real-0) and a registry with our images
//   gpio-fleet-cluster down   stop every process and remove the temporary directory
//   gpio-fleet-cluster status print the state and whether the processes are alive
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlPlaneBinaries } from './binaries.js';
import { alive, stopControlPlane } from './control-plane.js';
import { FLEET } from './fleet.js';
import { ensureRealNode, prepareRealNode, registryExport, stopRecordedRealNode } from './real-node/by-hand.js';
import { readNodeState } from './real-node/node-state.js';
import { startFleetCluster } from './fleet-cluster.js';
import { clearState, readState, stateFile, writeState } from './state.js';

const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

async function up(realNode: boolean): Promise<number> {
  const existing = readState();
  if (existing && Object.values(existing.pids).every(alive)) {
    log(`already running (state ${stateFile()})`);
    const registry = realNode ? await ensureRealNode(existing, log) : undefined;
    process.stdout.write(`export KUBECONFIG=${existing.kubeconfig}\n`);
    if (registry) process.stdout.write(registryExport(registry));
    return 0;
  }
  if (existing) {
    log('a previous control plane is partly dead; cleaning it up first');
    await stopRecordedRealNode(log);
    await stopControlPlane(existing);
    clearState();
  }
  const binaries = ensureControlPlaneBinaries(log);
  // Built before anything starts (the kubelet after the control plane, for Go's compile cache).
  const prepared = realNode ? prepareRealNode(log) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-cluster-'));
  const cp = await startFleetCluster({ dir, binaries, log });
  writeState({ dir: cp.dir, server: cp.server, kubeconfig: cp.kubeconfig, caCert: cp.caCert, pids: cp.pids, startedAt: cp.startedAt });
  log(`fake fleet registered: ${FLEET.map((n) => n.name).join(', ')}; logs in ${join(dir, 'logs')}`);
  const registry = prepared ? await ensureRealNode(cp, log, prepared) : undefined;
  log('stop it with: npm run cluster:down');
  process.stdout.write(`export KUBECONFIG=${cp.kubeconfig}\n`);
  if (registry) process.stdout.write(registryExport(registry));
  return 0;
}

async function down(): Promise<number> {
  // The node first: its pods are taken off through the API server while both still run.
  const hadNode = await stopRecordedRealNode(log);
  const state = readState();
  if (!state) {
    if (hadNode) return 0;
    log(`no control plane recorded (${stateFile()} is absent); nothing to stop`);
    return 0;
  }
  await stopControlPlane(state);
  clearState();
  log(`stopped ${Object.keys(state.pids).join(', ')} and removed ${state.dir}`);
  return 0;
}

function status(): number {
  const state = readState();
  if (!state) {
    process.stdout.write('not running\n');
    return 1;
  }
  const node = readNodeState();
  const pids = { ...state.pids, ...Object.fromEntries(Object.entries(node?.pids ?? {}).map(([part, pid]) => [`${node!.nodeName} ${part}`, pid])) };
  for (const [name, pid] of Object.entries(pids)) process.stdout.write(`${name.padEnd(24)} pid ${pid} ${alive(pid) ? 'running' : 'DEAD'}\n`);
  process.stdout.write(`KUBECONFIG=${state.kubeconfig}\n`);
  if (node?.registry) process.stdout.write(`GPIO_FLEET_REGISTRY=${node.registry}\n`);
  return Object.values(pids).every(alive) ? 0 : 1;
}

const command = process.argv[2];
try {
  const options = process.argv.slice(3);
  const unknown = options.find((o) => o !== '--real-node' || command !== 'up');
  if (unknown !== undefined) {
    process.stderr.write(`[cluster] unknown option "${unknown}"; accepted: up [--real-node], down, status\n`);
    process.exitCode = 2;
  } else if (command === 'up') process.exitCode = await up(options.includes('--real-node'));
  else if (command === 'down') process.exitCode = await down();
  else if (command === 'status') process.exitCode = status();
  else {
    process.stderr.write('Usage: gpio-fleet-cluster up [--real-node] | down | status\n');
    process.exitCode = command === '--help' || command === '-h' ? 0 : 2;
  }
} catch (e) {
  process.stderr.write(`[cluster] error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
