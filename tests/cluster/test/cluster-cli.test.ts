// `npm run cluster:up` / `cluster:down` as a developer uses them: a second control plane
// from the same cached binaries, the fake fleet visible to gpio-fleet, and nothing left after.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheRoot, KUBERNETES_VERSION, KWOK_VERSION } from '@gpio-fleet/test-tools/provision';
import { alive } from '../src/control-plane.js';
import { gpioFleet, PI_NODES, repoRoot, run } from './support/cluster.js';

const cli = join(repoRoot, 'tests', 'cluster', 'dist', 'cli.js');
// A private cache root (state file and all) that reuses the built binaries.
const cache = mkdtempSync(join(tmpdir(), 'gf-cache-'));
mkdirSync(join(cache, 'gpio-fleet'));
for (const d of [`kubernetes-${KUBERNETES_VERSION}`, `kwok-${KWOK_VERSION}`]) symlinkSync(join(cacheRoot(), d), join(cache, 'gpio-fleet', d));
const env = { XDG_CACHE_HOME: cache };

afterAll(async () => {
  await run(process.execPath, [cli, 'down'], { env });
  rmSync(cache, { recursive: true, force: true });
});


describe('cluster:up / cluster:down', () => {
  it('starts a control plane with the fleet, which gpio-fleet sees, and stops every process', async () => {
    expect(existsSync(cli), `${cli} missing: build with npm run build -w @gpio-fleet/cluster-tests`).toBe(true);
    const up = await run(process.execPath, [cli, 'up'], { env, timeoutMs: 170_000 });
    expect(up.code, up.stderr).toBe(0);
    const kc = /^export KUBECONFIG=(\S+)$/m.exec(up.stdout)?.[1];
    expect(kc).toBeDefined();
    expect(existsSync(join(cache, 'gpio-fleet', 'cluster', 'state.json'))).toBe(true);

    const nodes = await gpioFleet(['nodes', '--output', 'json'], kc);
    expect(nodes.code, nodes.stderr).toBe(0);
    expect((JSON.parse(nodes.stdout) as { name: string; pi: boolean }[]).filter((n) => n.pi).map((n) => n.name)).toEqual(PI_NODES);
    const dry = await gpioFleet(['label', '--auto', '--dry-run'], kc);
    expect(dry.stdout.trim().split('\n')).toEqual(PI_NODES.map((n) => `node/${n} labelled device=raspberry (dry run)`));

    // A second `up` finds it running and prints the same KUBECONFIG.
    const again = await run(process.execPath, [cli, 'up'], { env });
    expect(again.stdout).toContain(`export KUBECONFIG=${kc}`);

    const status = await run(process.execPath, [cli, 'status'], { env });
    const pids = [...status.stdout.matchAll(/pid (\d+) running/g)].map((m) => Number(m[1]));
    expect(pids.length).toBe(5);

    // The same server address with credentials that outlive `down`, to see "unreachable" after it.
    const server = /server: (\S+)/.exec(readFileSync(kc!, 'utf8'))![1]!;
    const afterDown = join(cache, 'after-down.kubeconfig');
    writeFileSync(afterDown, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: none\ncurrent-context: c\n`);

    const t0 = Date.now();
    const down = await run(process.execPath, [cli, 'down'], { env });
    process.stderr.write(`[cluster-tests] cluster down took ${Date.now() - t0} ms\n`);
    expect(down.code, down.stderr).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(kc!)).toBe(false);
    expect(existsSync(join(cache, 'gpio-fleet', 'cluster', 'state.json'))).toBe(false);
    expect((await gpioFleet(['nodes'], kc)).code).toBe(4);
    const unreachable = await gpioFleet(['nodes'], afterDown);
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toContain(`cannot reach the API server at ${server}`);
  });
});
