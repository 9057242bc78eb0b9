// The pigpio driver's line logic. The real pigpio Gpio class needs a Pi's /dev/mem, so these
// tests pass a stand-in for the npm module's API. It is deliberately small and mirrors what
// pigpio 3.x and its C library do for the calls the driver makes:
//  - constructing a Gpio initialises the library (pigpio.js), initialize() is idempotent;
//  - configureInterfaces fails once the library is initialised (the C library's gpioCfg* rule);
//  - digitalWrite sets the output latch and then makes the pin an output (gpioWrite);
//  - alerts reach a Gpio's 'alert' listeners only while enableAlert is in force, as (level, tick)
//    with level 2 for a watchdog timeout;
//  - getTick is a uint32 µs counter.
// The real package itself is exercised in pigpio-real-package.test.ts.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PinFactory } from '../../src/pin-factory/pin-factory.js';
import type { EdgeEvent } from '../../src/pin-factory/line-driver.js';
import { tickDiffSeconds } from '../../src/clock/ticks.js';
import { BackendUnavailableError, ClosedError, HardwareError } from '../../src/errors.js';
import { startPigpioDriver } from '../../src/backends/pigpio/driver.js';
import type { PigpioModule } from '../../src/backends/pigpio/module-api.js';
import type { SignalEmitter } from '../../src/backends/pigpio/signals.js';

interface PinState {
  mode: number;
  pud: number;
  latch: number;
  external: number;
  alert: boolean;
}

function fakePigpio() {
  const log: string[] = [];
  const pins = new Map<number, PinState>();
  const gpios = new Map<number, FakeGpio>();
  let initialized = false;
  let tick = 1000;
  const state = (g: number): PinState => {
    let s = pins.get(g);
    if (!s) {
      s = { mode: 0, pud: 0, latch: 0, external: 0, alert: false };
      pins.set(g, s);
    }
    return s;
  };
  const requireInit = (fn: string) => {
    if (!initialized) throw new Error(`pigpio error -31 in ${fn}`); // PI_NOT_INITIALISED
  };

  class FakeGpio extends EventEmitter {
    static readonly INPUT = 0;
    static readonly OUTPUT = 1;
    static readonly PUD_OFF = 0;
    static readonly PUD_DOWN = 1;
    static readonly PUD_UP = 2;
    constructor(readonly gpio: number) {
      super();
      mod.initialize();
      gpios.set(gpio, this);
      log.push(`new ${gpio}`);
    }
    mode(m: number) {
      requireInit('gpioSetMode');
      state(this.gpio).mode = m;
      log.push(`mode ${this.gpio} ${m === 1 ? 'OUTPUT' : 'INPUT'}`);
      return this;
    }
    pullUpDown(p: number) {
      requireInit('gpioSetPullUpDown');
      state(this.gpio).pud = p;
      log.push(`pud ${this.gpio} ${['OFF', 'DOWN', 'UP'][p]}`);
      return this;
    }
    digitalRead() {
      requireInit('gpioRead');
      const s = state(this.gpio);
      return s.mode === 1 ? s.latch : s.external;
    }
    digitalWrite(level: number) {
      requireInit('gpioWrite');
      const s = state(this.gpio);
      s.latch = level;
      s.mode = 1;
      log.push(`write ${this.gpio} ${level}`);
      return this;
    }
    enableAlert() {
      state(this.gpio).alert = true;
      log.push(`alert ${this.gpio} on`);
      return this;
    }
    disableAlert() {
      state(this.gpio).alert = false;
      log.push(`alert ${this.gpio} off`);
      return this;
    }
  }

  const mod = {
    Gpio: FakeGpio,
    DISABLE_FIFO_IF: 1,
    DISABLE_SOCK_IF: 2,
    initialize() {
      if (!initialized) log.push('initialize');
      initialized = true;
    },
    terminate() {
      initialized = false;
      log.push('terminate');
    },
    getTick() {
      return tick;
    },
    configureInterfaces(flags: number) {
      if (initialized) throw new Error('pigpio error -32 in gpioCfgInterfaces'); // PI_INITIALISED
      log.push(`interfaces ${flags}`);
      return 0;
    },
  } satisfies PigpioModule;

  return {
    mod,
    log,
    pins,
    setTick: (t: number) => {
      tick = t >>> 0;
    },
    /** What the library's alert thread delivers for a sampled level change. */
    alert(gpio: number, level: number, at: number) {
      if (level !== 2) state(gpio).external = level;
      if (state(gpio).alert) gpios.get(gpio)?.emit('alert', level, at);
    },
  };
}

const noSignals: SignalEmitter = { eventNames: () => [], rawListeners: () => [], removeAllListeners: () => undefined, on: () => undefined };

describe('startPigpioDriver', () => {
  it('disables the socket and pipe interfaces before initialising, and terminates on close', async () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    expect(f.log).toEqual(['interfaces 3', 'initialize']);
    expect(driver.name).toBe('pigpio');
    expect(driver.simulated).toBe(false);
    await driver.close();
    expect(f.log.at(-1)).toBe('terminate');
  });

  it('uses pigpio µs ticks that wrap at 2**32', () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    expect(driver.ticks.unitSeconds).toBe(1e-6);
    expect(driver.ticks.modulus).toBe(2 ** 32);
    f.setTick(123456);
    expect(driver.ticks.now()).toBe(123456);
  });

  it('reports an initialise failure as BackendUnavailableError with the library message', () => {
    const f = fakePigpio();
    f.mod.initialize = () => {
      throw new Error('pigpio error -1 in gpioInitialise');
    };
    expect(() => startPigpioDriver(f.mod, { signals: noSignals })).toThrow(BackendUnavailableError);
    expect(() => startPigpioDriver(f.mod, { signals: noSignals })).toThrow(/pigpio error -1 in gpioInitialise/);
  });

  it('refuses a second driver on the same library until the first is closed', async () => {
    const f = fakePigpio();
    const first = startPigpioDriver(f.mod, { signals: noSignals });
    expect(() => startPigpioDriver(f.mod, { signals: noSignals })).toThrow(/already started/);
    await first.close();
    const second = startPigpioDriver(f.mod, { signals: noSignals });
    await second.close();
  });

  it('re-arms signal listeners registered before initialise', () => {
    const f = fakePigpio();
    const emitter = new EventEmitter();
    const onTerm = () => undefined;
    emitter.on('SIGTERM', onTerm);
    const calls: string[] = [];
    const spy: SignalEmitter = {
      eventNames: () => emitter.eventNames(),
      rawListeners: (e) => emitter.rawListeners(e),
      removeAllListeners: (e) => {
        calls.push(`remove ${e}`);
        return emitter.removeAllListeners(e);
      },
      on: (e, l) => {
        calls.push(`on ${e}`);
        return emitter.on(e, l);
      },
    };
    startPigpioDriver(f.mod, { signals: spy });
    expect(calls).toEqual(['remove SIGTERM', 'on SIGTERM']);
    expect(emitter.listeners('SIGTERM')).toEqual([onTerm]);
  });
});

describe('pigpio lines', () => {
  it('claims an input with the requested pull, alerting before the switch to input', async () => {
    const f = fakePigpio();
    const factory = new PinFactory(startPigpioDriver(f.mod, { signals: noSignals }));
    f.log.length = 0;
    await factory.openInput('BOARD7', 'ldr', { pull: 'up', edge: 'rising' });
    expect(f.log).toEqual(['new 4', 'pud 4 UP', 'alert 4 on', 'mode 4 INPUT']);
    await factory.openInput('GPIO17', 'button', { pull: 'down' });
    expect(f.pins.get(17)).toMatchObject({ pud: 1, mode: 0, alert: false });
    await factory.openInput('GPIO27', 'other');
    expect(f.pins.get(27)).toMatchObject({ pud: 0, mode: 0 });
  });

  it('claims an output by writing the initial level before setting the direction', async () => {
    const f = fakePigpio();
    const factory = new PinFactory(startPigpioDriver(f.mod, { signals: noSignals }));
    f.log.length = 0;
    const red = await factory.openOutput('WPI13', 'red', 1);
    expect(f.log).toEqual(['new 9', 'write 9 1', 'mode 9 OUTPUT']);
    expect(red.read()).toBe(1);
    red.write(0);
    expect(f.pins.get(9)?.latch).toBe(0);
    expect(red.read()).toBe(0);
  });

  it('turns alerts into edge events with pigpio ticks, filtered by the edge setting', async () => {
    const f = fakePigpio();
    const factory = new PinFactory(startPigpioDriver(f.mod, { signals: noSignals }));
    const rising = await factory.openInput('GPIO4', 'r', { edge: 'rising' });
    const falling = await factory.openInput('GPIO5', 'f', { edge: 'falling' });
    const both = await factory.openInput('GPIO6', 'b', { edge: 'both' });
    const seen: Record<string, EdgeEvent[]> = { r: [], f: [], b: [] };
    rising.onEdge((e) => seen.r!.push(e));
    falling.onEdge((e) => seen.f!.push(e));
    both.onEdge((e) => seen.b!.push(e));
    for (const g of [4, 5, 6]) {
      f.alert(g, 1, 100);
      f.alert(g, 2, 150); // watchdog timeout: no level change
      f.alert(g, 0, 200);
    }
    expect(seen.r).toEqual([{ edge: 'rising', level: 1, tick: 100 }]);
    expect(seen.f).toEqual([{ edge: 'falling', level: 0, tick: 200 }]);
    expect(seen.b).toEqual([
      { edge: 'rising', level: 1, tick: 100 },
      { edge: 'falling', level: 0, tick: 200 },
    ]);
  });

  it('times an RC charge across a tick wrap: output low, switch to input, rising alert', async () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    const factory = new PinFactory(driver);
    const ldr = await factory.openOutput('GPIO4', 'ldr', 0);
    f.log.length = 0;
    const edges: EdgeEvent[] = [];
    ldr.onEdge((e) => edges.push(e));
    f.setTick(2 ** 32 - 3000);
    const start = ldr.setInput({ edge: 'rising' });
    expect(start).toBe(2 ** 32 - 3000);
    expect(f.log).toEqual(['pud 4 OFF', 'alert 4 on', 'mode 4 INPUT']);
    // The capacitor crosses Vth 9950 µs later, after the counter wrapped.
    f.alert(4, 1, (2 ** 32 - 3000 + 9950) >>> 0);
    expect(edges).toHaveLength(1);
    expect(tickDiffSeconds(driver.ticks, start, edges[0]!.tick)).toBeCloseTo(0.00995, 9);
    // Back to output to discharge: alerts stop, nothing more is reported.
    f.log.length = 0;
    ldr.setOutput(0);
    expect(f.log).toEqual(['alert 4 off', 'write 4 0', 'mode 4 OUTPUT']);
    f.alert(4, 1, 5);
    expect(edges).toHaveLength(1);
  });

  it('normalises a signed tick from the native layer to uint32', async () => {
    const f = fakePigpio();
    const factory = new PinFactory(startPigpioDriver(f.mod, { signals: noSignals }));
    const line = await factory.openInput('GPIO4', 'x', { edge: 'both' });
    const edges: EdgeEvent[] = [];
    line.onEdge((e) => edges.push(e));
    f.alert(4, 1, -1);
    expect(edges[0]?.tick).toBe(2 ** 32 - 1);
  });

  it('stops delivering to an unsubscribed listener', async () => {
    const f = fakePigpio();
    const factory = new PinFactory(startPigpioDriver(f.mod, { signals: noSignals }));
    const line = await factory.openInput('GPIO4', 'x', { edge: 'both' });
    const edges: EdgeEvent[] = [];
    const off = line.onEdge((e) => edges.push(e));
    f.alert(4, 1, 10);
    off();
    f.alert(4, 0, 20);
    expect(edges.map((e) => e.tick)).toEqual([10]);
  });

  it('releases a line to a floating input without alerts, and rejects use afterwards', async () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    const factory = new PinFactory(driver);
    const line = await factory.openInput('GPIO4', 'x', { pull: 'up', edge: 'both' });
    const edges: EdgeEvent[] = [];
    line.onEdge((e) => edges.push(e));
    await line.close();
    expect(f.pins.get(4)).toMatchObject({ mode: 0, pud: 0, alert: false });
    f.alert(4, 1, 10);
    expect(edges).toEqual([]);
    expect(() => line.read()).toThrow(ClosedError);
    // The pin can be claimed again.
    const again = await factory.openOutput('GPIO4', 'y', 1);
    expect(again.read()).toBe(1);
    await factory.close();
    expect(f.pins.get(4)).toMatchObject({ mode: 0, pud: 0 });
    expect(f.log.at(-1)).toBe('terminate');
  });

  it('turns a library error into a HardwareError naming the pin', async () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    const line = await driver.claim(4, 'x', { direction: 'output', level: 0 });
    f.mod.terminate(); // every call now fails the way the library does when not initialised
    expect(() => line.write(1)).toThrow(HardwareError);
    expect(() => line.write(1)).toThrow(/pigpio: write on GPIO4 failed: pigpio error -31 in gpioWrite/);
  });

  it('rejects GPIO numbers pigpio does not have, and edges where alerts do not exist', async () => {
    const f = fakePigpio();
    const driver = startPigpioDriver(f.mod, { signals: noSignals });
    await expect(driver.claim(54, 'x', { direction: 'output', level: 0 })).rejects.toThrow(/GPIO54 does not exist/);
    await expect(driver.claim(40, 'x', { direction: 'input', pull: 'none', edge: 'both' })).rejects.toThrow(/GPIO0-31/);
    await driver.close();
    await expect(driver.claim(4, 'x', { direction: 'output', level: 0 })).rejects.toThrow(ClosedError);
  });
});
