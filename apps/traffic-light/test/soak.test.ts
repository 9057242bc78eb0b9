// A week of the traffic-light sequence on the virtual clock: never skips or doubles a phase,
// the cycle count matches the elapsed time, memory and series stay flat.
import { describe, expect, it } from 'vitest';
import { createRegistry } from '@gpio-fleet/runtime';
import { cycleSeconds, DEFAULT_PHASES, LAMPS, LedCircuit, MockDriver, PinFactory, runSequence, TrafficLights, VirtualClock } from '@gpio-fleet/gpio';
import { seriesCount, settledHeapBytes } from '@gpio-fleet/test-tools';
import { createTrafficLightMetrics } from '../src/metrics.js';

const DAY = 86_400;

describe('traffic-light soak: 7 simulated days', () => {
  it('keeps the sequence exact, counts cycles by elapsed time, stays flat', async () => {
    const clock = new VirtualClock(0);
    const driver = new MockDriver(clock);
    const factory = new PinFactory(driver);
    const pins = { red: 'WPI13', amber: 'WPI12', green: 'WPI14' } as const;
    for (const lamp of LAMPS) driver.attach(pins[lamp], new LedCircuit(lamp));
    const lights = new TrafficLights({
      red: await factory.openOutput(pins.red, 'tl'),
      amber: await factory.openOutput(pins.amber, 'tl'),
      green: await factory.openOutput(pins.green, 'tl'),
    });
    const registry = createRegistry();
    const metrics = createTrafficLightMetrics(registry, DEFAULT_PHASES);
    let expectedIndex = 0;
    let phases = 0;
    let cycles = 0;
    let badOrder = 0;
    runSequence(lights, clock, {
      phases: DEFAULT_PHASES,
      onPhase: ({ index, phase, lateness }) => {
        if (index !== expectedIndex) badOrder++;
        expectedIndex = (index + 1) % DEFAULT_PHASES.length;
        phases++;
        metrics.phase(phase, lateness);
        metrics.lamps(phase.lamps);
      },
      onCycleComplete: () => {
        cycles++;
        metrics.cycleDone();
      },
    });
    const perDay: { heap: number; series: number }[] = [];
    for (let day = 1; day <= 7; day++) {
      await clock.advanceTo(day * DAY);
      perDay.push({ heap: settledHeapBytes(), series: await seriesCount(registry) });
    }
    expect(badOrder).toBe(0);
    expect(cycles).toBe(Math.floor((7 * DAY) / cycleSeconds(DEFAULT_PHASES)));
    expect(phases).toBeGreaterThanOrEqual(cycles * 4);
    expect(phases).toBeLessThanOrEqual(cycles * 4 + 4);
    expect(new Set(perDay.map((d) => d.series)).size).toBe(1);
    expect(perDay[6]!.heap - perDay[0]!.heap).toBeLessThan(4 * 1024 * 1024);
  }, 300_000);
});
