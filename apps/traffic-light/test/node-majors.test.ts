// traffic-light must run on every Node major a user may have: 20, 22 and 24.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_MAJORS, nodeBinaries, type NodeMajor } from '@gpio-fleet/ship';
import { appCli } from '@gpio-fleet/test-tools';

let nodes: Record<NodeMajor, string>;
beforeAll(async () => {
  nodes = await nodeBinaries();
}, 600_000);

describe.each(NODE_MAJORS)('on Node %s', (major) => {
  const run = (args: string[]) => spawnSync(nodes[major], [appCli('traffic-light'), ...args], { encoding: 'utf8', timeout: 30_000 });

  it('--once shows the first phase and ends dark, with no runtime warnings', () => {
    const r = run(['--gpio', 'mock', '--once', '--phases', 'red:100ms']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ phase: 'red', lamps: ['red'], litAtEnd: ['red'] });
    expect(r.stderr).toContain('"msg":"all lamps off"');
    expect(r.stderr).not.toMatch(/ExperimentalWarning|DeprecationWarning/);
  });

  it('bad input still exits 2', () => {
    expect(run(['--red', 'BOARD6']).status).toBe(2);
  });
});
