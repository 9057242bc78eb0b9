import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PHASES,
  HardwareError,
  LedCircuit,
  phase,
  phaseOffset,
  runSequence,
  TrafficLights,
  type PhaseChange,
} from '../src/index.js';
import { rig } from './helpers.js';

async function lightsRig() {
  const r = rig(500);
  const leds = {
    red: r.driver.attach('WPI13', new LedCircuit('red')),
    amber: r.driver.attach('WPI12', new LedCircuit('amber')),
    green: r.driver.attach('WPI14', new LedCircuit('green')),
  };
  const lights = new TrafficLights({
    red: await r.factory.openOutput('WPI13', 'tl', 0),
    amber: await r.factory.openOutput('WPI12', 'tl', 0),
    green: await r.factory.openOutput('WPI14', 'tl', 0),
  });
  return { ...r, leds, lights };
}

describe('phase offsets', () => {
  it('anchors every boundary to the start: 0, 3, 4, 9, 11, 14 ...', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => phaseOffset(DEFAULT_PHASES, i))).toEqual([0, 3, 4, 9, 11, 14]);
  });
  it('ends after the closing boundary of the last cycle', () => {
    expect(phaseOffset(DEFAULT_PHASES, 4, 1)).toBe(11);
    expect(phaseOffset(DEFAULT_PHASES, 5, 1)).toBeUndefined();
  });
  it('names phases from their lamps', () => {
    expect(DEFAULT_PHASES.map((p) => p.name)).toEqual(['red', 'red_amber', 'green', 'amber']);
    expect(phase(['amber', 'red'], 1).name).toBe('red_amber');
    expect(phase([], 1).name).toBe('off');
  });
});

describe('traffic-light sequence on the virtual clock', () => {
  it('LED history matches the original sequence and durations over two cycles', async () => {
    const { clock, leds, lights } = await lightsRig();
    const changes: PhaseChange[] = [];
    let cyclesDone = 0;
    const run = runSequence(lights, clock, {
      phases: DEFAULT_PHASES,
      cycles: 2,
      onPhase: (c) => changes.push(c),
      onCycleComplete: (n) => (cyclesDone = n),
    });
    await clock.runUntil(() => clock.pending === 0, 100);
    await run.done;
    lights.off();
    expect(changes.map((c) => c.phase.name)).toEqual(['red', 'red_amber', 'green', 'amber', 'red', 'red_amber', 'green', 'amber']);
    expect(changes.every((c) => c.lateness === 0)).toBe(true);
    expect(cyclesDone).toBe(2);
    const rel = (h: { t: number; on: boolean }[]) => h.map((x) => [x.t - 500, x.on]);
    expect(rel(leds.red.history)).toEqual([[0, false], [0, true], [4, false], [11, true], [15, false]]);
    expect(rel(leds.amber.history)).toEqual([[0, false], [3, true], [4, false], [9, true], [11, false], [14, true], [15, false], [20, true], [22, false]]);
    expect(rel(leds.green.history)).toEqual([[0, false], [4, true], [9, false], [15, true], [20, false]]);
  });

  it('does not drift when boundaries fire late', async () => {
    const { clock, lights } = await lightsRig();
    const changes: PhaseChange[] = [];
    // A clock whose timers fire 50 ms late: lateness is measured, never accumulated.
    const lateClock = { now: () => clock.now(), setTimer: (fn: () => void, d: number) => clock.setTimer(fn, d + 0.05) };
    runSequence(lights, lateClock, { phases: DEFAULT_PHASES, cycles: 5, onPhase: (c) => changes.push(c) });
    await clock.runUntil(() => clock.pending === 0, 100);
    expect(changes).toHaveLength(20);
    for (const c of changes) expect(c.lateness).toBeCloseTo(0.05, 9);
  });

  it('a failing lamp write rejects the run after trying every lamp', async () => {
    const { clock, driver, lights, leds } = await lightsRig();
    driver.failWrites('WPI12');
    const run = runSequence(lights, clock, { phases: DEFAULT_PHASES, cycles: 1 });
    const outcome = run.done.then(() => 'resolved', (e: unknown) => e);
    await clock.runUntil(() => clock.pending === 0, 100);
    expect(await outcome).toBeInstanceOf(HardwareError);
    // It still reached the failure at the red+amber boundary: red stayed written.
    expect(leds.red.on).toBe(true);
    expect(() => lights.off()).toThrow(HardwareError);
    expect(leds.red.on).toBe(false);
    expect(leds.green.on).toBe(false);
  });

  it('stop() ends the run between boundaries', async () => {
    const { clock, lights } = await lightsRig();
    const changes: PhaseChange[] = [];
    const run = runSequence(lights, clock, { phases: DEFAULT_PHASES, onPhase: (c) => changes.push(c) });
    await clock.advance(3.5);
    run.stop();
    await run.done;
    await clock.advance(100);
    expect(changes.map((c) => c.phase.name)).toEqual(['red', 'red_amber']);
  });
});
