#!/usr/bin/env node
// The naive traffic light the benchmark compares ours against: set the lamps, await a 50 ms
// sleep, repeat. Each sleep starts when the previous one ended (plus the work in between), so
// lateness accumulates. Same lamps as ours (TrafficLights over the mock backend), same Node;
// only the timing strategy differs. Measures each boundary against the ideal start + k·period
// with performance.now() and prints one JSON line: {"lateness": [seconds, ...]}.
//
// usage: naive-traffic-light.js [--phases 500] [--phase-ms 50]
import { parseArgs } from 'node:util';
import { LAMPS, LedCircuit, MockDriver, PinFactory, realClock, TrafficLights, type GpioLine, type Lamp } from '@gpio-fleet/gpio';

const { values } = parseArgs({ options: { phases: { type: 'string', default: '500' }, 'phase-ms': { type: 'string', default: '50' } } });
const phases = Number(values.phases);
const periodMs = Number(values['phase-ms']);

const PINS: Record<Lamp, string> = { red: 'WPI13', amber: 'WPI12', green: 'WPI14' };
const CYCLE: Lamp[][] = [['red'], ['red', 'amber'], ['green'], ['amber']];

const driver = new MockDriver(realClock);
for (const lamp of LAMPS) driver.attach(PINS[lamp], new LedCircuit(lamp));
const factory = new PinFactory(driver);
const lines = {} as Record<Lamp, GpioLine>;
for (const lamp of LAMPS) lines[lamp] = await factory.openOutput(PINS[lamp], `naive:${lamp}`, 0);
const lights = new TrafficLights(lines);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lateness: number[] = [];
const start = performance.now();
for (let k = 0; k < phases; k++) {
  lateness.push((performance.now() - (start + k * periodMs)) / 1000);
  lights.show(CYCLE[k % CYCLE.length]!);
  await sleep(periodMs);
}
lights.off();
await factory.close();
process.stdout.write(`${JSON.stringify({ lateness })}\n`);
