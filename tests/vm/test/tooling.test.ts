// The VM tooling's own logic, without booting anything: the initramfs writer (read back by
// busybox cpio), the kernel package parsing, config check and module shims, the per-architecture
// machine table, the ELF dependency walk, the RESULT analysis and the summary lines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import { requestedArches, VM_ARCHES } from '../src/arch.js';
import { cpioHeader, withParents, writeCpio } from '../src/cpio.js';
import { aptOptions, debFilePattern } from '../src/debian-download.js';
import { neededLibraries, programInterpreter } from '../src/elf-deps.js';
import { checkKernelConfig, parseHeadersDepends, shimGpioSim, shimIrqSim, sourceSeries } from '../src/kernel.js';
import { kernelAppend, qemuArgs } from '../src/qemu.js';
import { chargeSamples, edgeProbe, idleCost, lampStates, observeTraffic, parseResults, spearman, type VmResult } from '../src/results.js';
import { placeOf, summaryLines } from './scenario-reporter.js';

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
    expect(parseHeadersDepends('linux-headers-6.1.0-56-amd64 (= 6.1.192-2)')).toEqual({ abiNumber: '6.1.0-56', version: '6.1.192-2' });
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

  it('drops only gpio-sim\'s device-tree alias export, and refuses a source it does not recognise', () => {
    const src = 'static const struct of_device_id gpio_sim_of_match[] = { { } };\nMODULE_DEVICE_TABLE(of, gpio_sim_of_match);\n.of_match_table = gpio_sim_of_match,\n';
    const out = shimGpioSim(src);
    expect(out).not.toMatch(/^MODULE_DEVICE_TABLE/m);
    expect(out).toContain('.of_match_table = gpio_sim_of_match,');
    expect(() => shimGpioSim('int x;')).toThrow(/update shimGpioSim/);
  });

  it('checks the kernel config the suite relies on and reads the GPIO number space', () => {
    const base = 'CONFIG_GPIO_CDEV=y\nCONFIG_GPIO_SYSFS=y\nCONFIG_CONFIGFS_FS=m\n# CONFIG_GPIO_SIM is not set\n';
    expect(checkKernelConfig(`${base}CONFIG_ARCH_NR_GPIO=1024\n`, 'k').gpioNumberSpace).toBe(1024);
    // 0 is the generic default of 512 (arm64).
    expect(checkKernelConfig(`${base}CONFIG_ARCH_NR_GPIO=0\n`, 'k').gpioNumberSpace).toBe(512);
    expect(() => checkKernelConfig(`${base}CONFIG_IRQ_SIM=y\n`, 'k')).toThrow(/CONFIG_IRQ_SIM is y, expected not set/);
    expect(() => checkKernelConfig(base.replace('CONFIG_CONFIGFS_FS=m', 'CONFIG_CONFIGFS_FS=y'), 'k')).toThrow(/CONFIG_CONFIGFS_FS is y, expected m/);
  });

  it('names downloaded packages the way apt-get download does', () => {
    expect(debFilePattern('linux-image-6.1.0-57-arm64:arm64=6.1.192-3')).toEqual({ prefix: 'linux-image-6.1.0-57-arm64_', suffixes: ['_arm64.deb'] });
    expect(debFilePattern('linux-source-6.1=6.1.192-3')).toEqual({ prefix: 'linux-source-6.1_', suffixes: ['.deb'] });
    expect(() => debFilePattern('')).toThrow(/package spec/);
    const o = aptOptions('/c/apt').join(' ');
    expect(o).toContain('Dir::State::Lists=/c/apt/lists');
    for (const a of ['amd64', 'arm64', 'armhf']) expect(o).toContain(`APT::Architectures::=${a}`);
  });
});

describe('the machines', () => {
  it('gives each architecture its console, its results port and the CPU its executables need', () => {
    expect(kernelAppend(VM_ARCHES.x64)).toBe('console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init');
    expect(kernelAppend(VM_ARCHES.arm64)).toMatch(/^console=ttyAMA0 .* initcall_blacklist=pl061_gpio_driver_init$/);
    const opts = { kernel: 'k', initrd: 'i', append: 'a', memoryMb: 1024, accel: 'tcg' as const, resultsFile: '/r', consoleFile: '/c', timeoutMs: 1 };
    const x64 = qemuArgs(VM_ARCHES.x64, opts).join(' ');
    // The console is the first serial port, the results file the second.
    expect(x64).toMatch(/-serial stdio -cpu max -serial file:\/r/);
    expect(qemuArgs(VM_ARCHES.arm64, opts).join(' ')).toContain('-M virt -cpu cortex-a57 -chardev file,id=results,path=/r -device pci-serial,chardev=results');
    expect(qemuArgs(VM_ARCHES.armv7, opts).join(' ')).toContain('-M virt -cpu cortex-a15');
  });

  it('boots every architecture by default, and the ones VM_ARCHES names', () => {
    expect(requestedArches({}).map((a) => a.arch)).toEqual(['x64', 'arm64', 'armv7']);
    expect(requestedArches({ VM_ARCHES: 'armv7,arm64' }).map((a) => a.arch)).toEqual(['armv7', 'arm64']);
    expect(() => requestedArches({ VM_ARCHES: 'riscv' })).toThrow(/unknown architecture "riscv"; expected a comma-separated list of x64, arm64, armv7/);
  });

  it('reads dependencies and the loader from readelf, for a foreign ELF too', () => {
    const dyn = ' 0x0000000000000001 (NEEDED)             Shared library: [libstdc++.so.6]\n 0x00000001 (NEEDED)                     Shared library: [libc.so.6]\n 0x000000000000001d (RUNPATH) Library runpath: [$ORIGIN]\n';
    expect(neededLibraries(dyn)).toEqual(['libstdc++.so.6', 'libc.so.6']);
    expect(programInterpreter('      [Requesting program interpreter: /lib/ld-linux-armhf.so.3]\n')).toBe('/lib/ld-linux-armhf.so.3');
    expect(programInterpreter('no interp')).toBeUndefined();
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

  it('pairs the edge probe\'s events with the helper\'s toggles by index', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const report = { result: 'ok', events: [{ tNs: 1500, rising: true, lineSeqno: 1, seenNs: 9000 }, { tNs: 2500, rising: false, lineSeqno: 2, seenNs: 9100 }] };
    const p = edgeProbe([
      { scenario: 'edge-timestamps-helper', i: 0, pull: 'pull-up', beforeNs: 1000, afterNs: 2000 },
      { scenario: 'edge-timestamps-helper', i: 1, pull: 'pull-down', beforeNs: 2200, afterNs: 2600 },
      { scenario: 'edge-timestamps', exit: 0, start: 1, end: 2, stdout64: b64(`${JSON.stringify(report)}\n`), stderr64: '' },
    ]);
    expect(p.toggles).toBe(2);
    expect(p.samples[1]).toMatchObject({ i: 1, tNs: 2500, rising: false, pull: 'pull-down', beforeNs: 2200, afterNs: 2600 });
    expect(edgeProbe([]).samples).toEqual([]);
  });
});

describe('summary lines', () => {
  it('places a test by its vm and scenario blocks', () => {
    expect(placeOf(['scenario light-gpiochip', 'vm armv7'])).toEqual({ arch: 'armv7', scenario: 'light-gpiochip' });
    expect(placeOf(['initramfs writer'])).toBeUndefined();
  });

  it('counts a scenario as passed only when all its tests passed, and a scenario without results as failed', () => {
    const lines = summaryLines(['x64', 'arm64'], ['boot', 'busy', 'permission'], [
      { arch: 'x64', scenario: 'boot', passed: true },
      { arch: 'x64', scenario: 'busy', passed: true },
      { arch: 'x64', scenario: 'permission', passed: true },
      { arch: 'x64', scenario: 'permission', passed: true },
      { arch: 'arm64', scenario: 'boot', passed: true },
      { arch: 'arm64', scenario: 'permission', passed: true },
      { arch: 'arm64', scenario: 'permission', passed: false },
    ]);
    expect(lines).toEqual(['vm x64: 3 scenarios passed, 0 failed', 'vm arm64: 1 scenarios passed, 2 failed']);
  });
});

describe('idleCost: the idle scenario per reading', () => {
  it('takes wake-ups and CPU over the window between the two samples', () => {
    const r: VmResult = { scenario: 'idle-gpiochip', exit: 0, windowSeconds: 20, before: { cpuNs: 5e9, mainSleeps: 100, readings: 12 }, after: { cpuNs: 5.4e9, mainSleeps: 160, readings: 32 } };
    expect(idleCost(r)).toEqual({ readings: 20, wakesPerReading: 3, cpuSecondsPerReading: 0.02 });
  });
  it('fails on a sample the guest could not take, naming the field', () => {
    const r: VmResult = { scenario: 'idle-gpiochip', before: { cpuNs: 1, mainSleeps: 1, readings: 1 }, after: { cpuNs: 2, readings: 3 } };
    expect(() => idleCost(r)).toThrow('idle-gpiochip: after.mainSleeps is undefined, not a number');
  });
});
