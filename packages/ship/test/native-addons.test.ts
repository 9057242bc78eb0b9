// The shipped native-linux-<arch>/node_modules trees: right layout for the gpio package's
// loader, addons built for the right CPU and Node ABI, and epoll really working there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeDirName } from '../src/addons.js';
import { readElf } from '../src/files.js';
import { cacheRoot } from '../src/paths.js';
import { ensureRuntime } from '../src/runtime.js';
import { silentProgress } from '../src/progress.js';
import { TARGET_ARCHES, TARGETS } from '../src/targets.js';
import { binDir, jsonLines, pins, runTarget } from './helpers/targets.js';

// Loads onoff and epoll by absolute path, as the executables do, then has epoll report a
// real event: a byte written to a FIFO it watches.
const PROBE = `
const { join } = require('node:path');
const fs = require('node:fs');
const dir = process.argv[1];
const { Epoll } = require(join(dir, 'node_modules', 'epoll'));
const { Gpio } = require(join(dir, 'node_modules', 'onoff'));
const fifo = process.argv[2];
const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
const poller = new Epoll((err, readyFd, events) => {
  console.log(JSON.stringify({ err: err ? String(err) : null, sameFd: readyFd === fd, epollin: (events & Epoll.EPOLLIN) !== 0,
    gpioClass: typeof Gpio, arch: process.arch, node: process.versions.node }));
  poller.remove(fd).close();
  fs.closeSync(fd);
});
poller.add(fd, Epoll.EPOLLIN);
fs.writeSync(fd, 'x');
`;

describe.each(TARGET_ARCHES)('native-linux-%s', (arch) => {
  const target = TARGETS[arch];
  const dir = join(binDir, nativeDirName(target));

  it('holds onoff and its runtime dependencies, flat, with no build-only packages', async () => {
    const names = (await readdir(join(dir, 'node_modules'))).sort();
    expect(names).toEqual(['bindings', 'epoll', 'file-uri-to-path', 'lodash.debounce', 'onoff']);
    const listed = JSON.parse(await readFile(join(dir, 'PACKAGES.json'), 'utf8')) as { arch: string; addons: string[]; packages: { name: string }[] };
    expect(listed.arch).toBe(arch);
    expect(listed.addons).toEqual(['gpiochip.node']);
    expect(listed.packages.map((p) => p.name).sort()).toEqual(names);
    // The C++ sources stay out; the compiled addon is where bindings() looks for it.
    expect(existsSync(join(dir, 'node_modules', 'epoll', 'src'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'pigpio'))).toBe(false);
  });

  it('ships epoll.node and gpiochip.node compiled for this CPU', async () => {
    for (const file of [join(dir, 'node_modules', 'epoll', 'build', 'Release', 'epoll.node'), join(dir, 'gpiochip.node')]) {
      expect(await readElf(file)).toMatchObject({ machine: target.elf.machine, bits: target.elf.bits });
    }
  });

  it(`gpiochip.node loads in Node ${pins[arch].version} (${arch}) and reads the monotonic clock`, async () => {
    const runtime = await ensureRuntime(target, pins[arch], cacheRoot(), silentProgress);
    const code = [
      'const m = { exports: {} };',
      'process.dlopen(m, process.argv[1]);',
      'const a = m.exports.monotonicNs(); const b = m.exports.monotonicNs();',
      "console.log(JSON.stringify({ functions: typeof m.exports.openChip, increasing: b >= a && a > 0 }));",
    ].join('\n');
    const r = await runTarget(arch, runtime.node, ['-e', code, join(dir, 'gpiochip.node')]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ functions: 'function', increasing: true }]);
  });

  it(`epoll loads in Node ${pins[arch].version} (${arch}) and reports a real event`, async () => {
    const runtime = await ensureRuntime(target, pins[arch], cacheRoot(), silentProgress);
    const fifo = join(dir, '..', `.probe-${arch}-${process.pid}.fifo`);
    execFileSync('mkfifo', [fifo]);
    try {
      const r = await runTarget(arch, runtime.node, ['-e', PROBE, dir, fifo]);
      expect(r.code, r.stderr).toBe(0);
      expect(jsonLines(r.stdout)).toEqual([
        { err: null, sameFd: true, epollin: true, gpioClass: 'function', arch: target.nodeArch, node: pins[arch].version },
      ]);
    } finally {
      execFileSync('rm', ['-f', fifo]);
    }
  });
});

