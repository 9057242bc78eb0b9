import { describe, expect, it } from 'vitest';
import { ClosedError, HardwareError, PinFactory, PinInUseError, type LineDriver } from '../src/index.js';
import { rig } from './helpers.js';

describe('pin reservations', () => {
  it('a second claim of a held pin fails naming the holder, whatever the pin is called', async () => {
    const { factory } = rig();
    await factory.openOutput('BOARD7', 'light-sensor');
    for (const alias of ['BOARD7', 'BCM4', 'GPIO4', 'WPI7', 'J8:7', '4']) {
      await expect(factory.openInput(alias, 'intruder')).rejects.toThrow(PinInUseError);
      await expect(factory.openInput(alias, 'intruder')).rejects.toThrow(/BCM4 is held by "light-sensor"/);
    }
    expect(factory.holderOf('WPI7')).toBe('light-sensor');
  });

  it('concurrent claims of one pin: exactly one wins', async () => {
    const { factory } = rig();
    const results = await Promise.allSettled([factory.openOutput('BCM17', 'a'), factory.openOutput('GPIO17', 'b')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('closing a line releases the pin for the next user', async () => {
    const { factory, driver } = rig();
    const line = await factory.openOutput('BCM17', 'first');
    expect(driver.isHeld('BCM17')).toBe(true);
    await line.close();
    expect(driver.isHeld('BCM17')).toBe(false);
    expect(factory.holderOf('BCM17')).toBeUndefined();
    await expect(factory.openOutput('BCM17', 'second')).resolves.toBeDefined();
    expect(() => line.write(1)).toThrow(ClosedError);
  });

  it('closing the factory releases every pin and refuses new claims', async () => {
    const { factory, driver } = rig();
    await factory.openOutput('WPI13', 'tl');
    await factory.openOutput('WPI12', 'tl');
    expect(factory.claimed().sort()).toEqual(['BCM10', 'BCM9']);
    await factory.close();
    expect(driver.isHeld('WPI13')).toBe(false);
    expect(driver.isHeld('WPI12')).toBe(false);
    await expect(factory.openOutput('WPI14', 'tl')).rejects.toThrow(ClosedError);
  });

  it('a failed driver claim does not leave a stale reservation', async () => {
    const { driver } = rig();
    // A driver whose first claim of a pin fails the way hardware does (busy, EPERM), after
    // the factory has reserved the pin: the reservation must be taken back.
    let failNext = true;
    const flaky: LineDriver = {
      name: driver.name,
      simulated: driver.simulated,
      ticks: driver.ticks,
      claim: (bcm, consumer, config) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new HardwareError(`BCM${bcm} is busy`));
        }
        return driver.claim(bcm, consumer, config);
      },
      close: () => driver.close(),
    };
    const factory = new PinFactory(flaky);
    await expect(factory.openOutput('BOARD7', 'first')).rejects.toThrow(/BCM4 is busy/);
    expect(factory.claimed()).toEqual([]);
    expect(factory.holderOf('BOARD7')).toBeUndefined();
    await expect(factory.openOutput('BOARD7', 'second')).resolves.toBeDefined();
    expect(factory.holderOf('BCM4')).toBe('second');
  });

  it('a claim still in the driver when the factory closes is released, not left held', async () => {
    const { driver } = rig();
    let letClaimFinish!: () => void;
    const slow: LineDriver = {
      name: driver.name,
      simulated: driver.simulated,
      ticks: driver.ticks,
      claim: async (bcm, consumer, config) => {
        await new Promise<void>((r) => (letClaimFinish = r));
        return driver.claim(bcm, consumer, config);
      },
      close: async () => undefined,
    };
    const factory = new PinFactory(slow);
    const opening = factory.openOutput('BCM17', 'late');
    await factory.close();
    letClaimFinish();
    await expect(opening).rejects.toThrow(ClosedError);
    expect(driver.isHeld('BCM17')).toBe(false);
  });
});

describe('mock history', () => {
  it('keeps only the most recent entries, so a mock can run for weeks', async () => {
    const { LedCircuit, MockDriver, PinFactory, VirtualClock } = await import('../src/index.js');
    const clock = new VirtualClock();
    const driver = new MockDriver(clock, 100);
    const led = driver.attach('BCM17', new LedCircuit('led', 100));
    const line = await new PinFactory(driver).openOutput('BCM17', 't');
    for (let i = 0; i < 1000; i++) {
      await clock.advance(1);
      line.write((i % 2) as 0 | 1);
    }
    expect(led.history.length).toBeLessThanOrEqual(113);
    expect(led.history.at(-1)).toEqual({ t: 1000, on: true });
    expect(driver.history('BCM17').length).toBeLessThanOrEqual(113);
  });
});
