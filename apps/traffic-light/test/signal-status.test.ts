// The status page's state, driven by the real sequence and mock LEDs on a virtual clock: the
// lamps as the lines drive them, the phase's end from its boundary, recent phases.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHASES, LAMPS, LedCircuit, MockDriver, PinFactory, runSequence, TrafficLights, VirtualClock, type Lamp } from '@gpio-fleet/gpio';
import { RECENT_PHASES, SignalStatus } from '../src/status/signal-status.js';

async function junction() {
  const clock = new VirtualClock(0);
  const driver = new MockDriver(clock);
  const factory = new PinFactory(driver);
  const pins = { red: 'WPI13', amber: 'WPI12', green: 'WPI14' } as const;
  for (const lamp of LAMPS) driver.attach(pins[lamp], new LedCircuit(lamp));
  const lines = { red: await factory.openOutput(pins.red, 'tl'), amber: await factory.openOutput(pins.amber, 'tl'), green: await factory.openOutput(pins.green, 'tl') };
  return { clock, lights: new TrafficLights(lines), lines };
}

describe('traffic-light status state', () => {
  it('shows the lamps the lines drive, the phase with its remaining time, and recent phases', async () => {
    const { clock, lights, lines } = await junction();
    const status = new SignalStatus(() => clock.now());
    const run = runSequence(lights, clock, {
      phases: DEFAULT_PHASES,
      onPhase: (change) => status.phaseShown(change, lights.lit()),
      onCycleComplete: (n) => status.cycleDone(n),
    });
    const driven = (): Lamp[] => LAMPS.filter((l) => lines[l].read() === 1);
    expect(status.snapshot()).toEqual({ lit: [], phase: undefined, recent: [], cycles: 0 });
    await clock.advance(0.5); // red, 2.5 s to go
    expect(status.snapshot()).toMatchObject({ lit: ['red'], phase: { name: 'red', cycle: 0, seconds: 3, remainingSeconds: 2.5 } });
    await clock.advance(3); // red+amber from 3 s, 0.5 s to go
    expect(status.snapshot()).toMatchObject({ lit: driven(), phase: { name: 'red_amber', remainingSeconds: 0.5 } });
    expect(status.snapshot().lit).toEqual(['red', 'amber']);
    // Every moment of a cycle: the lamps shown are the lines' levels.
    for (let t = 0; t < 11; t += 0.25) {
      await clock.advance(0.25);
      expect(status.snapshot().lit).toEqual(driven());
    }
    await clock.advance(11 * 3);
    const s = status.snapshot();
    expect(s.cycles).toBe(4);
    expect(s.recent).toHaveLength(RECENT_PHASES);
    expect(s.recent.at(-1)!.name).toBe(s.phase!.name);
    expect(s.recent.every((r) => r.latenessSeconds === 0)).toBe(true);
    run.stop();
  });

  it('ends the phase at its boundary even when the callback ran late', () => {
    let now = 10.25;
    const status = new SignalStatus(() => now);
    // The boundary was due at 10.0 and fired 0.25 s late: a 5 s phase still ends at 15.0.
    status.phaseShown({ phase: DEFAULT_PHASES[2]!, index: 2, cycle: 0, lateness: 0.25 }, ['green']);
    expect(status.snapshot().phase).toMatchObject({ name: 'green', remainingSeconds: 4.75, latenessSeconds: 0.25 });
    now = 16;
    expect(status.snapshot().phase!.remainingSeconds).toBe(0);
  });

  it('shows what the lines drive, not what the schedule says, when they differ', async () => {
    const { clock, lights } = await junction();
    const status = new SignalStatus(() => clock.now());
    // Green is due, but its line is still low (a write that did not take): the page says so.
    lights.show(['amber']);
    status.phaseShown({ phase: DEFAULT_PHASES[2]!, index: 2, cycle: 0, lateness: 0 }, lights.lit());
    expect(status.snapshot()).toMatchObject({ lit: ['amber'], phase: { name: 'green' } });
  });

  it('goes dark with the lines when they are switched off', async () => {
    const { clock, lights } = await junction();
    const status = new SignalStatus(() => clock.now());
    const run = runSequence(lights, clock, { phases: DEFAULT_PHASES, onPhase: (c) => status.phaseShown(c, lights.lit()) });
    await clock.advance(3.5);
    run.stop();
    lights.off();
    status.lampsChanged(lights.lit());
    expect(status.snapshot()).toMatchObject({ lit: [], phase: undefined });
    expect(status.snapshot().recent.map((r) => r.name)).toEqual(['red', 'red_amber']);
  });
});
