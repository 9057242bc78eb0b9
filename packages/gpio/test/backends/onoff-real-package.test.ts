// The real npm onoff package (and its compiled epoll addon) driven by the real driver code.
// onoff only ever uses /sys/class/gpio, and this machine's kernel has no GPIO at all, so the
// test runs a child process in a private mount namespace (unshare -m; needs root, which the
// test machines and CI have) with a tmpfs over /sys/class holding a tree shaped like a Pi 4's
// sysfs on kernel 6.6+. Nothing outside that child sees the mount. The tree is plain files:
// the kernel's side (creating gpioN after an export, edge interrupts) is not simulated, so
// the line is pre-exported and edges are left to the driver tests and the gpio-sim VM test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backends/select.js';
import { BackendUnavailableError } from '../../src/errors.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
// The directory whose node_modules holds the real onoff (npm hoists it to the repo root).
const NATIVE_ROOT = dirname(dirname(dirname(createRequire(import.meta.url).resolve('onoff/package.json'))));

let work: string;

/** Emit src/ as plain ESM JavaScript so a child `node` (no TS loader) can run the driver. */
function transpileSources(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) {
      transpileSources(src, join(to, name));
    } else if (name.endsWith('.ts')) {
      const out = ts.transpileModule(readFileSync(src, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: relative(SRC, src),
      });
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
}

// Runs inside the namespace, after the tree is in place. Prints one JSON line.
const RUN = `
import { readFileSync, writeFileSync } from 'node:fs';
import { createOnoffDriver } from './src/backends/onoff/driver.js';
import { PinFactory } from './src/pin-factory/pin-factory.js';
const G = '/sys/class/gpio';
const files = ['gpio516/direction', 'gpio516/value', 'gpio516/edge', 'export', 'unexport'];
const snap = () => Object.fromEntries(files.map((f) => [f, readFileSync(G + '/' + f, 'utf8')]));
const out = {};
const factory = new PinFactory(await createOnoffDriver({}));
out.backend = factory.name;
const ldr = await factory.openOutput('BOARD7', 'light-sensor', 1);
out.claimed = snap();
ldr.write(0);
out.written = snap();
const tick = ldr.setInput({ edge: 'rising' });
out.input = snap();
out.tickIsInteger = Number.isInteger(tick);
writeFileSync(G + '/gpio516/value', '1\\n'); // the capacitor charged
out.read = ldr.read();
out.unexported = await factory.openOutput('GPIO5', 'other', 0).then(
  () => 'claimed',
  (e) => ({ name: e.name, message: e.message }),
);
await factory.close();
out.closed = snap();
console.log(JSON.stringify(out));
`;

// Builds the tree on a tmpfs over /sys/class, visible only in this mount namespace.
const SETUP = `
set -eu
mount -t tmpfs -o size=1m,mode=0755 gpio-fleet-test /sys/class
G=/sys/class/gpio
mkdir -p $G/gpiochip512 $G/gpiochip570 $G/gpio516
printf '512\\n' > $G/gpiochip512/base; printf '58\\n' > $G/gpiochip512/ngpio; printf 'pinctrl-bcm2711\\n' > $G/gpiochip512/label
printf '570\\n' > $G/gpiochip570/base; printf '8\\n' > $G/gpiochip570/ngpio; printf 'raspberrypi-exp-gpio\\n' > $G/gpiochip570/label
: > $G/export; : > $G/unexport
printf 'in\\n' > $G/gpio516/direction; printf '0\\n' > $G/gpio516/value; printf 'none\\n' > $G/gpio516/edge; printf '0\\n' > $G/gpio516/active_low
exec node run.mjs
`;

interface RunResult {
  backend: string;
  claimed: Record<string, string>;
  written: Record<string, string>;
  input: Record<string, string>;
  tickIsInteger: boolean;
  read: number;
  unexported: string | { name: string; message: string };
  closed: Record<string, string>;
}

let result: RunResult;

beforeAll(() => {
  const which = spawnSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error('unshare (Debian package util-linux) is required for this test and is missing');
  work = mkdtempSync(join(tmpdir(), 'gpio-onoff-ns-'));
  transpileSources(SRC, join(work, 'src'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(work, 'run.mjs'), RUN);
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', SETUP], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, GPIO_FLEET_NATIVE_DIR: NATIVE_ROOT },
  });
  if (run.status !== 0) {
    throw new Error(`namespace run failed (status ${run.status}, ${run.error?.message ?? ''}):\n${run.stderr}\n${run.stdout}`);
  }
  result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as RunResult;
}, 90_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('real onoff package on a Pi 4-shaped sysfs (kernel 6.6+ numbering)', () => {
  it('claims BOARD7 as sysfs 516 and sets output + level in one direction write', () => {
    expect(result.backend).toBe('onoff');
    // The line was already exported, so onoff does not write export; it writes "high".
    expect(result.claimed['gpio516/direction']).toBe('high');
    expect(result.claimed.export).toBe('');
  });

  it('writes levels to the value file', () => {
    expect(result.written['gpio516/value']).toMatch(/^0/);
  });

  it('switches to input and sets the edge, returning an integer ns tick', () => {
    expect(result.input['gpio516/direction']).toBe('in');
    expect(result.input['gpio516/edge']).toBe('rising');
    expect(result.tickIsInteger).toBe(true);
  });

  it('reads the value file', () => {
    expect(result.read).toBe(1);
  });

  it('exports an unexported line by writing base + BCM, and explains when the kernel creates no line', () => {
    expect(result.unexported).toMatchObject({ name: 'BackendUnavailableError' });
    const message = (result.unexported as { message: string }).message;
    expect(message).toContain('/sys/class/gpio/gpio517/value does not exist');
    expect(message).toContain('did not create gpio517');
    expect(result.closed.export).toBe('517');
  });

  it('releases to an input without edge detection and unexports 516', () => {
    expect(result.closed['gpio516/edge']).toBe('none');
    expect(result.closed['gpio516/direction']).toBe('in');
    expect(result.closed.unexport).toBe('516');
  });
});

describe('--gpio onoff on this machine', () => {
  it('is a clear BackendUnavailableError, not a stack trace', async () => {
    const err = await selectBackend('onoff', {
      mock: () => {
        throw new Error('the mock must not be used when a backend is named');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toContain('sysfs GPIO not available');
    expect((err as Error).message).toContain('--gpio gpiochip');
  });
});
