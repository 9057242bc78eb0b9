// The onoff driver's logic: sysfs numbering from a real temp tree, pulls, reconfiguration order,
// edge stamping, release. onoff's Gpio writes to the real /sys/class/gpio, which this machine's
// kernel lacks (onoff-real-package.test.ts runs the real package in a private mount namespace),
// so these tests pass a small stand-in for onoff's module API that mirrors onoff 6.x:
//  - the constructor exports the number (the kernel refuses numbers no chip owns: EINVAL),
//    sets the direction ('high'/'low' also set the level) and, for inputs only, the edge;
//  - setEdge enables the rising/falling filter; watch callbacks get (err, value) after an
//    interrupt, only for enabled edges, and no timestamp;
//  - unexport stops watching and writes the number to unexport.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinFactory } from '../../src/pin-factory/pin-factory.js';
import type { EdgeEvent } from '../../src/pin-factory/line-driver.js';
import { BackendUnavailableError, ClosedError, HardwareError, InvalidValueError } from '../../src/errors.js';
import { createOnoffDriver, startOnoffDriver } from '../../src/backends/onoff/driver.js';
import type { OnoffDirection, OnoffEdge, OnoffGpioOptions, OnoffModule, OnoffValueCallback } from '../../src/backends/onoff/module-api.js';
import { tickDiffSeconds } from '../../src/clock/ticks.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gpio-onoff-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** /sys/class/gpio-shaped tree of a Pi 4 on kernel 6.6+: header chip at 512, expander at 570. */
function pi4Sysfs(): string {
  const dir = join(root, 'gpio');
  for (const [base, ngpio, label] of [
    [512, 58, 'pinctrl-bcm2711'],
    [570, 8, 'raspberrypi-exp-gpio'],
  ] as const) {
    mkdirSync(join(dir, `gpiochip${base}`), { recursive: true });
    writeFileSync(join(dir, `gpiochip${base}`, 'base'), `${base}\n`);
    writeFileSync(join(dir, `gpiochip${base}`, 'ngpio'), `${ngpio}\n`);
    writeFileSync(join(dir, `gpiochip${base}`, 'label'), `${label}\n`);
  }
  writeFileSync(join(dir, 'export'), '');
  writeFileSync(join(dir, 'unexport'), '');
  return dir;
}

function fakeOnoff(valid: (n: number) => boolean = (n) => n >= 512 && n < 570 + 8) {
  const log: string[] = [];
  const lines = new Map<number, FakeGpio>();

  class FakeGpio {
    value = 0;
    direction: 'in' | 'out' = 'in';
    edge: OnoffEdge = 'none';
    risingEnabled = false;
    fallingEnabled = false;
    listeners: OnoffValueCallback[] = [];
    unexported = false;
    constructor(
      readonly gpio: number,
      direction: OnoffDirection,
      edge?: OnoffEdge,
      readonly options?: OnoffGpioOptions,
    ) {
      if (!valid(gpio)) {
        throw Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL', syscall: 'write', errno: -22 });
      }
      log.push(`export ${gpio}`);
      this.setDirection(direction);
      if (edge && direction === 'in') this.setEdge(edge);
      lines.set(gpio, this);
    }
    readSync() {
      return this.value;
    }
    writeSync(v: number) {
      log.push(`value ${this.gpio} ${v}`);
      this.value = v;
    }
    setDirection(d: OnoffDirection) {
      log.push(`direction ${this.gpio} ${d}`);
      this.direction = d === 'in' ? 'in' : 'out';
      if (d === 'high') this.value = 1;
      if (d === 'low') this.value = 0;
    }
    setEdge(e: OnoffEdge) {
      log.push(`edge ${this.gpio} ${e}`);
      this.edge = e;
      this.risingEnabled = e === 'both' || e === 'rising';
      this.fallingEnabled = e === 'both' || e === 'falling';
    }
    watch(cb: OnoffValueCallback) {
      log.push(`watch ${this.gpio}`);
      this.listeners.push(cb);
    }
    unwatch(cb?: OnoffValueCallback) {
      log.push(`unwatch ${this.gpio}`);
      this.listeners = cb ? this.listeners.filter((l) => l !== cb) : [];
    }
    unwatchAll() {
      this.unwatch();
    }
    unexport() {
      this.unwatchAll();
      this.unexported = true;
      log.push(`unexport ${this.gpio}`);
    }
    /** An interrupt from the kernel: onoff reads the value and filters by the enabled edges. */
    interrupt(value: number) {
      this.value = value;
      if (this.direction !== 'in' || this.edge === 'none') return; // the kernel raises none
      if ((value === 0 && this.fallingEnabled) || (value === 1 && this.risingEnabled)) {
        for (const l of [...this.listeners]) l(null, value);
      }
    }
  }

  const mod: OnoffModule = { Gpio: FakeGpio };
  return { mod, log, line: (n: number) => lines.get(n)! };
}

/** A settable ns clock for deterministic stamps. */
function manualClock(start = 5_000_000) {
  let t = start;
  return { now: () => t, advance: (ns: number) => (t += ns) };
}

describe('onoff driver over a Pi 4 (kernel 6.6+) sysfs layout', () => {
  it('claims BCM lines at base + BCM: BOARD7 (GPIO4) is sysfs 516', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    await factory.openInput('BOARD7', 'ldr', { edge: 'rising' });
    await factory.openOutput('WPI13', 'red', 0);
    expect(f.log).toEqual(['export 516', 'direction 516 in', 'edge 516 rising', 'export 521', 'direction 521 low']);
    expect(f.line(516).options).toEqual({ activeLow: false });
  });

  it('sets an output and its initial level in one step', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const amber = await factory.openOutput('WPI12', 'amber', 1);
    expect(f.log).toEqual(['export 522', 'direction 522 high']);
    expect(amber.read()).toBe(1);
    amber.write(0);
    expect(f.line(522).value).toBe(0);
    expect(amber.read()).toBe(0);
  });

  it('refuses a pull resistor before exporting anything', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const err = await factory.openInput('GPIO4', 'ldr', { pull: 'down' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidValueError);
    expect((err as InvalidValueError).message).toContain('sysfs GPIO cannot set pull resistors');
    expect((err as InvalidValueError).accepted).toBe('none');
    expect(f.log).toEqual([]);
    expect(factory.holderOf('GPIO4')).toBeUndefined();
  });

  it('refuses a pull when switching an output to input, and stays an output', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const line = await factory.openOutput('GPIO4', 'ldr', 0);
    expect(() => line.setInput({ pull: 'up' })).toThrow(InvalidValueError);
    expect(f.line(516).direction).toBe('out');
    expect(line.direction).toBe('output');
  });

  it('RC cycle: input sets direction before edge; output clears the edge first; ticks are the driver clock', async () => {
    const f = fakeOnoff();
    const clock = manualClock();
    const driver = startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs(), now: clock.now });
    const factory = new PinFactory(driver);
    const ldr = await factory.openOutput('GPIO4', 'ldr', 0);
    f.log.length = 0;
    const edges: EdgeEvent[] = [];
    ldr.onEdge((e) => edges.push(e));
    const start = ldr.setInput({ edge: 'rising' });
    expect(start).toBe(5_000_000);
    expect(f.log).toEqual(['watch 516', 'direction 516 in', 'edge 516 rising']);
    clock.advance(9_950_000);
    f.line(516).interrupt(1);
    expect(edges).toEqual([{ edge: 'rising', level: 1, tick: 14_950_000 }]);
    expect(tickDiffSeconds(driver.ticks, start, edges[0]!.tick)).toBeCloseTo(0.00995, 12);
    f.log.length = 0;
    ldr.setOutput(0);
    expect(f.log).toEqual(['edge 516 none', 'direction 516 low']);
  });

  it('filters edges by the configured kind and reports nothing while an output', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs(), now: manualClock().now }));
    const line = await factory.openInput('GPIO17', 'button', { edge: 'both' });
    const edges: string[] = [];
    line.onEdge((e) => edges.push(`${e.edge}:${e.level}`));
    f.line(529).interrupt(1);
    f.line(529).interrupt(0);
    line.setInput({ edge: 'falling' });
    f.line(529).interrupt(1);
    f.line(529).interrupt(0);
    expect(edges).toEqual(['rising:1', 'falling:0', 'falling:0']);
  });

  it('watches only while someone listens', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const line = await factory.openInput('GPIO4', 'x', { edge: 'both' });
    f.log.length = 0;
    const a = line.onEdge(() => undefined);
    const b = line.onEdge(() => undefined);
    a();
    b();
    expect(f.log).toEqual(['watch 516', 'unwatch 516']);
  });

  it('stamps edges with process.hrtime in ns by default', async () => {
    const f = fakeOnoff();
    const driver = startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() });
    expect(driver.ticks).toMatchObject({ unitSeconds: 1e-9, modulus: 2 ** 53 });
    const line = await new PinFactory(driver).openInput('GPIO4', 'x', { edge: 'rising' });
    const edges: EdgeEvent[] = [];
    line.onEdge((e) => edges.push(e));
    const before = Number(process.hrtime.bigint() % 2n ** 53n);
    f.line(516).interrupt(1);
    const after = Number(process.hrtime.bigint() % 2n ** 53n);
    expect(edges).toHaveLength(1);
    expect(edges[0]!.tick).toBeGreaterThanOrEqual(before);
    expect(edges[0]!.tick).toBeLessThanOrEqual(after);
    expect(driver.ticks.now()).toBeGreaterThanOrEqual(after);
  });

  it('turns EINVAL from export into a HardwareError that explains the numbering', async () => {
    // A kernel that still numbers the header from 0 although the tree says 512.
    const f = fakeOnoff((n) => n < 58);
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const err = await factory.openOutput('GPIO4', 'x', 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HardwareError);
    expect((err as Error).message).toMatch(/exporting GPIO4 \(writing 516 to .*\/export\) failed with EINVAL/);
    expect((err as Error).message).toContain('base 512 of pinctrl-bcm2711 + 4');
    expect(factory.holderOf('GPIO4')).toBeUndefined();
  });

  it('releases to a floating input and unexports; close releases what is left', async () => {
    const f = fakeOnoff();
    const factory = new PinFactory(startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() }));
    const red = await factory.openOutput('WPI13', 'red', 1);
    const ldr = await factory.openInput('GPIO4', 'ldr', { edge: 'rising' });
    f.log.length = 0;
    await red.close();
    expect(f.log).toEqual(['direction 521 in', 'unwatch 521', 'unexport 521']);
    expect(() => red.read()).toThrow(ClosedError);
    f.log.length = 0;
    await factory.close();
    expect(f.log).toEqual(['edge 516 none', 'unwatch 516', 'unexport 516']);
    expect(f.line(516).unexported).toBe(true);
    void ldr;
  });

  it('rejects BCM numbers the header chip does not have', async () => {
    const f = fakeOnoff();
    const driver = startOnoffDriver(f.mod, { sysfsGpio: pi4Sysfs() });
    await expect(driver.claim(58, 'x', { direction: 'output', level: 0 })).rejects.toThrow(/accepted: 0-57/);
  });
});

describe('createOnoffDriver', () => {
  it('on this machine (no /sys/class/gpio): a clear "sysfs GPIO not available" error', async () => {
    const err = await createOnoffDriver({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/^onoff backend unavailable: sysfs GPIO not available: \/sys\/class\/gpio does not exist/);
    expect((err as Error).message).toContain('use --gpio gpiochip');
  });

  it('refuses a sysfs path other than the one onoff is hard-wired to, after checking that tree', async () => {
    const err = await createOnoffDriver({ paths: { sysfsGpio: pi4Sysfs() } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toContain('always uses /sys/class/gpio');
    expect((err as Error).message).toContain('pinctrl-bcm2711, base 512');
  });

  it('reports a tree without a header chip before loading onoff', async () => {
    const dir = join(root, 'gpio');
    mkdirSync(join(dir, 'gpiochip0'), { recursive: true });
    writeFileSync(join(dir, 'gpiochip0', 'base'), '0');
    writeFileSync(join(dir, 'gpiochip0', 'ngpio'), '8');
    writeFileSync(join(dir, 'gpiochip0', 'label'), 'gpio-sim.0-node0');
    await expect(createOnoffDriver({ paths: { sysfsGpio: dir } })).rejects.toThrow(/no Raspberry Pi header GPIO chip/);
  });
});
