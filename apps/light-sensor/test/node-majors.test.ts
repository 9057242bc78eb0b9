// light-sensor must run on every Node major a user may have: 20, 22 and 24.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_MAJORS, nodeBinaries, type NodeMajor } from '@gpio-fleet/ship';
import { appCli } from '@gpio-fleet/test-tools';

let nodes: Record<NodeMajor, string>;
beforeAll(async () => {
  nodes = await nodeBinaries();
}, 600_000);

describe.each(NODE_MAJORS)('on Node %s', (major) => {
  const run = (args: string[]) => spawnSync(nodes[major], [appCli('light-sensor'), ...args], { encoding: 'utf8', timeout: 30_000 });

  it('is that major', () => {
    const r = spawnSync(nodes[major], ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(r.stdout.trim().split('.')[0]).toBe(major);
  });

  it('--once reads 100 lux within 5 % on the mock, with no runtime warnings', () => {
    const r = run(['--gpio', 'mock', '--mock-lux', '100', '--once']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { lux: number };
    expect(Math.abs(out.lux / 100 - 1)).toBeLessThan(0.05);
    expect(r.stderr).not.toMatch(/ExperimentalWarning|DeprecationWarning/);
  });

  it('bad input still exits 2', () => {
    expect(run(['--pin', 'BOARD6']).status).toBe(2);
  });
});
