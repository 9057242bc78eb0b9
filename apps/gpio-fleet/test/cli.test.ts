import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { VERSION } from '../src/version.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, { HOME: mkdtempSync(join(tmpdir(), 'gf-home-')), ...env }, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('gpio-fleet CLI (no cluster needed)', () => {
  it('has --help for the tool and every command, with the exit codes', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toContain('Exit codes:');
    for (const c of ['nodes', 'label', 'status', 'readings', 'doctor']) {
      const h = await run([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.out).toContain(`Usage: gpio-fleet ${c}`);
      expect(h.out).toContain('--kubeconfig');
      expect(h.out).toContain('--output');
    }
    expect((await run(['nodes', '--help'])).out).toContain('+rpt-rpi-');
    const doctorHelp = (await run(['doctor', '--help'])).out;
    for (const flag of ['--page-size', '--concurrency', '--timeout', '--max-age']) expect(doctorHelp).toContain(flag);
    expect(top.out).toContain('  doctor ');
  });

  it('rejects unknown commands, flags and values with exit 2', async () => {
    expect((await run(['nodez'])).code).toBe(2);
    const bad = await run(['nodes', '--outptu', 'json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('did you mean --output');
    expect((await run(['nodes', '--output', 'yaml'])).code).toBe(2);
    expect((await run(['label', '--key', 'not a key!', 'n1'])).code).toBe(2);
    expect((await run(['label'])).err).toMatch(/name at least one node, or pass --auto/);
  });

  it('exits 4 with a clear message when there is no kubeconfig', async () => {
    const r = await run(['nodes']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('no kubeconfig found');
    const missing = await run(['nodes', '--kubeconfig', '/nonexistent/config']);
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('/nonexistent/config');
  });

  it('exits 5 when the API server is unreachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-kc-'));
    const kc = join(dir, 'config');
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: x\ncurrent-context: c\n');
    const r = await run(['nodes', '--kubeconfig', kc]);
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
    expect((await run(['nodes', '--kubeconfig', kc, '--context', 'nope'])).code).toBe(2);
  });

  it('reports the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await run(['--version'])).out).toContain(`gpio-fleet ${pkg.version}`);
  });
});
