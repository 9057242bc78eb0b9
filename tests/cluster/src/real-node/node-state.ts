// The record of the running real node, in <cache>/real-node/state.json. It doubles as the
// machine-wide lock: one node at a time (the bridge name, the pod subnet and the Service IP are
// fixed, and the kubelet's device-plugin socket is /var/lib/kubelet/device-plugins/kubelet.sock
// whatever --root-dir says). It is written before anything changes on the machine and updated
// with every process started, so a node killed halfway (SIGKILL of a test run) can still be
// cleaned up: by `npm run cluster:down`, or by the next start, which finds it stale.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheRoot } from '@gpio-fleet/test-tools/provision';
import { alive } from '../control-plane.js';

export interface RealNodeState {
  nodeName: string;
  runDir: string;
  /** Processes by part, in start order. */
  pids: Record<string, number>;
  /** host:port of the registry. */
  registry?: string;
  /** The control plane it joined (its admin kubeconfig), to take its pods off first. */
  kubeconfig: string;
  /** Kernel tunables before the node started (the kubelet and the bridge plugin change some). */
  sysctls: Record<string, string>;
  /** Directories outside the run directory that existed before (the others are removed). */
  existedBefore: string[];
  /** Files the parts need to be found by (containerd's socket, ctr). */
  ctr?: string;
  socket?: string;
  startedAt: string;
}

export function nodeStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'real-node', 'state.json');
}

export function readNodeState(file: string = nodeStateFile()): RealNodeState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RealNodeState;
  } catch {
    // Cut off while being written: the node never got past its first step.
    return undefined;
  }
}

export function writeNodeState(state: RealNodeState, file: string = nodeStateFile()): void {
  // Renamed into place: a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function clearNodeState(file: string = nodeStateFile()): void {
  rmSync(file, { force: true });
}

/** Whether any recorded process of the node still runs. */
export const nodeRunning = (state: RealNodeState): boolean => Object.values(state.pids).some(alive);

/**
 * Claims the state file for a new node (exclusive create). Throws when a node is recorded:
 * the caller decides whether a dead one may be cleaned up first.
 */
export function claimNodeState(state: RealNodeState, file: string = nodeStateFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch {
    throw new Error(`a real node is recorded in ${file} already`);
  }
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Adds a process to the recorded node (another process's, e.g. a test worker's Prometheus), so
 * that stopping the node, or cleaning up after a killed run, ends it too.
 */
export function recordNodeProcess(part: string, pid: number, file: string = nodeStateFile()): void {
  const state = readNodeState(file);
  if (!state) throw new Error(`no real node is recorded in ${file}`);
  state.pids[part] = pid;
  writeNodeState(state, file);
}
