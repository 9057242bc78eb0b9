// The VM tooling's own logic, without booting anything: the initramfs writer (read back by
// busybox cpio), the kernel package parsing and module shim, and the RESULT analysis.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { cpioHeader, withParents, writeCpio } from '../src/cpio.js';
import { parseHeadersDepends, shimIrqSim, sourceSeries } from '../src/kernel.js';
import { chargeSamples, lampStates, observeTraffic, parseResults, spearman, type VmResult } from '../src/results.js';

const tmp = mkdtempSync(join(tmpdir(), 'vm-tooling-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('initramfs writer', () => {
  it('pads headers so data starts on a 4-byte boundary', () => {
    for (const name of ['a', 'ab', 'abc', 'init', 'bin/busybox']) {
      const h = cpioHeader(1, name, { mode: 0o100644, uid: 0, gid: 0, size: 0, rdevMajor: 0, rdevMinor: 0 });
      expect(h.length % 4).toBe(0);
      expect(h.subarray(0, 6).toString()).toBe('070701');
    }
  });

  it('adds missing parent directories before their children', () => {
    const e = withParents([{ kind: 'file', path: 'app/native/x.node', data: Buffer.from('x') }]);
    expect(e.map((x) => `${x.kind}:${x.path}`)).toEqual(['dir:app', 'dir:app/native', 'file:app/native/x.node']);
  });

  it('writes an archive busybox cpio lists and extracts with modes, links and device nodes', async () => {
    ensureDebianPackages(['busybox-static']);
    const file = join(tmp, 'test.cpio');
    await writeCpio(file, [
      { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { kind: 'file', path: 'etc/odd', data: Buffer.from('12345') },
      { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
      { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    ]);
    const list = spawnSync('busybox', ['cpio', '-tv', '-F', file], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/-rwxr-xr-x .* init/);
    expect(list.stdout).toMatch(/lrwxrwxrwx .* bin\/sh -> busybox/);
    expect(list.stdout).toMatch(/crw------- .* dev\/console/);
    const out = join(tmp, 'x');
    const x = spawnSync('sh', ['-c', `mkdir -p ${out} && cd ${out} && busybox cpio -id -F ${file} && cat etc/odd`], { encoding: 'utf8' });
    expect(x.stdout).toBe('12345');
  });
});

describe('kernel packages', () => {
  it('reads the ABI and version from linux-headers-amd64', () => {
    expect(parseHeadersDepends('linux-headers-6.1.0-56-amd64 (= 6.1.192-2)')).toEqual({ abi: '6.1.0-56-amd64', version: '6.1.192-2' });
    expect(() => parseHeadersDepends('something-else')).toThrow(/kernel ABI/);
    expect(sourceSeries('6.1.0-56-amd64')).toBe('6.1');
  });

  it('shims irq_sim for a module build, and refuses a source it does not recognise', () => {
    const src = 'static void f(void) {\n\t\thandle_simple_irq(irq_to_desc(irqnum));\n}\n';
    const out = shimIrqSim(src);
    expect(out).toContain('generic_handle_irq(irqnum);');
    expect(out).not.toContain('irq_to_desc');
    expect(out).toContain('MODULE_LICENSE("GPL");');
    expect(() => shimIrqSim('int x;')).toThrow(/update shimIrqSim/);
  });
});

describe('RESULT analysis', () => {
  it('parses RESULT lines amid console noise and flags broken ones', () => {
    const r = parseResults('[ 1.2] noise\nRESULT {"scenario":"boot","ok":true}\r\nxx RESULT {"scenario":"done"}\nRESULT {broken\n');
    expect(r.map((x) => x.scenario)).toEqual(['boot', 'done', 'unparsable']);
  });

  it('finds the phases and the final all-off among claim/release transients', () => {
    const t = [0, 500, 501, 502, 900, 1200, 1500, 1800, 2100, 2120, 2121, 2122];
    const v = ['111', '011', '001', '000', '100', '110', '001', '010', '000', '100', '110', '111'];
    const results: VmResult[] = t.map((ms, i) => ({ scenario: 'lamps', tNs: ms * 1e6, values: v[i] }));
    const seen = observeTraffic(lampStates(results, 'lamps'), 150);
    expect(seen.steady).toEqual(['111', '000', '100', '110', '001', '010', '111']);
    expect(seen.allOffAtEnd).toBe(true);
    // Released straight from amber: the pull-ups turn lamps on, never all off.
    const noOff = results.slice(0, 8).concat([{ scenario: 'lamps', tNs: 2100e6, values: '110' }, { scenario: 'lamps', tNs: 2101e6, values: '111' }]);
    expect(observeTraffic(lampStates(noOff, 'lamps'), 150).allOffAtEnd).toBe(false);
  });

  it('ranks correlation with ties (Spearman)', () => {
    expect(spearman([1, 1, 2, 2, 3, 3], [10, 11, 20, 21, 30, 31])).toBeCloseTo(0.956, 2);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 9);
    expect(spearman([1, 2, 3, 4], [1, 2, 3, 4])).toBeCloseTo(1, 9);
  });

  it('pairs readings with the helper firings and places them against the firing window', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const results: VmResult[] = [
      { scenario: 'light-gpiochip-rc', i: 0, inputNs: 1_000_000, pullBeforeNs: 6_000_000, pullAfterNs: 6_400_000 },
      { scenario: 'light-gpiochip', delayUs: 5000, stdout64: b64('{"chargeSeconds":0.0052}\n') },
      { scenario: 'light-gpiochip-rc', i: 1, inputNs: 0, pullBeforeNs: 10_000_000, pullAfterNs: 10_100_000 },
      { scenario: 'light-gpiochip', delayUs: 10000, stdout64: b64('{"chargeSeconds":0.0105}\n') },
    ];
    const [a, b] = chargeSamples(results, 'gpiochip');
    expect(a!.outsideWindow).toBe(0);
    expect(a!.errorVsActual).toBeCloseTo(0.0002, 9);
    expect(b!.outsideWindow).toBeCloseTo(0.0004, 9);
  });
});
