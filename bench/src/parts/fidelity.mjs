// Part 2: how well the light sensor measures, on the mock with its jitter model, from 0.1 to
// 10 000 lux. Our side runs the real sampler (runLightSampler: discharge, timed rising edge,
// median of 5) against RcPhotoresistorCircuit on a VirtualClock, so hundreds of simulated
// seconds take well under a second. gpiozero's side runs its LightSensor on MockChargingPin
// with the charge time our RC model gives for each setting (in real time: its mock pin charges
// in a thread).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  chargeTime,
  constantLight,
  DEFAULT_CALIBRATION,
  lightLevel,
  luxFromChargeTime,
  MockDriver,
  PinFactory,
  RcPhotoresistorCircuit,
  runLightSampler,
  VirtualClock,
} from '@gpio-fleet/gpio';
import { REPO } from '../lib/prerequisites.mjs';
import { logSweep, median, resolution95, stddev } from '../lib/stats.mjs';

/** The light-sensor app's defaults (apps/light-sensor/src/options.ts). */
export const SAMPLER = Object.freeze({
  interval: 1,
  discharge: 0.1,
  timeout: 1,
  pull: 'none',
  chargeTimeLimit: 0.01,
  queueLen: 5,
  calibration: DEFAULT_CALIBRATION,
});

/**
 * `count` readings at a constant `lux` on a virtual clock. The circuit uses the mock's default
 * noise model, as the app's mock does (timestamp jitter and threshold noise, seeded).
 */
export async function sampleAt(lux, count, seed) {
  const clock = new VirtualClock(0);
  const driver = new MockDriver(clock);
  driver.attach('BOARD7', new RcPhotoresistorCircuit({ light: constantLight(lux), seed }));
  const factory = new PinFactory(driver);
  const line = await factory.openOutput('BOARD7', 'bench', 0);
  /** @type {{ chargeSeconds: number, single: number, estimate: number, level: number, result: string }[]} */
  const readings = [];
  const sampler = runLightSampler(line, factory.ticks, clock, SAMPLER, {
    onReading: (r, e) =>
      readings.push({ result: r.result, chargeSeconds: r.chargeSeconds, single: luxFromChargeTime(r.chargeSeconds, SAMPLER.calibration), estimate: e.lux, level: e.level }),
    onFailure: (err) => {
      throw err;
    },
  });
  await clock.runUntil(() => readings.length >= count, count * SAMPLER.interval + 10);
  sampler.stop();
  await factory.close();
  return readings;
}

/** gpiozero's LightSensor.value at each charge time (bench/python/gpiozero_fidelity.py). */
function gpiozeroValues(python, chargeTimes, samples) {
  const out = execFileSync(python, [join(REPO, 'bench', 'python', 'gpiozero_fidelity.py'), '--samples', String(samples), ...chargeTimes.map(String)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out).results;
}

/**
 * @param {{ python: string, readingsPerSetting: number, gpiozeroSamples: number, log: (l: string) => void }} o
 */
export async function measureFidelity({ python, readingsPerSetting, gpiozeroSamples, log }) {
  const settings = logSweep(0.1, 10_000, 3);
  log(`part 2: ${settings.length} settings × ${readingsPerSetting} readings on the virtual clock`);
  const t0 = performance.now();
  const rows = [];
  for (const [i, lux] of settings.entries()) {
    const all = await sampleAt(lux, readingsPerSetting, 1000 + i);
    const ok = all.filter((r) => r.result === 'ok');
    // The app's reported estimate is the median of the last 5; skip the first 4 while the window fills.
    const estimates = all.slice(SAMPLER.queueLen - 1).map((r) => r.estimate).filter(Number.isFinite);
    const single = ok.map((r) => r.single);
    const sigmaSingle = stddev(single);
    const sigmaEstimate = stddev(estimates);
    rows.push({
      lux,
      chargeSeconds: chargeTime(lux, SAMPLER.calibration),
      readings: all.length,
      timeouts: all.length - ok.length,
      medianEstimate: median(estimates),
      relativeError: median(estimates) / lux - 1,
      singleReading: { sigmaLux: sigmaSingle, resolutionLux: resolution95(sigmaSingle), relativeResolution: resolution95(sigmaSingle) / lux },
      reportedEstimate: { sigmaLux: sigmaEstimate, resolutionLux: resolution95(sigmaEstimate), relativeResolution: resolution95(sigmaEstimate) / lux },
      ourLevel: median(all.slice(SAMPLER.queueLen - 1).map((r) => r.level).filter(Number.isFinite)),
    });
  }
  const oursSeconds = (performance.now() - t0) / 1000;
  log(`part 2: ours took ${oursSeconds.toFixed(1)} s; gpiozero's value at the same charge times (real time, ~0.6 s a setting)`);
  const t1 = performance.now();
  const gz = gpiozeroValues(python, rows.map((r) => r.chargeSeconds), gpiozeroSamples);
  rows.forEach((r, i) => {
    r.gpiozeroValues = gz[i].values;
    r.gpiozeroValue = median(gz[i].values);
    r.gpiozeroIdealValue = lightLevel(r.chargeSeconds, SAMPLER.chargeTimeLimit);
  });
  // The lux where gpiozero's value reaches 0: its charge time equals charge_time_limit.
  const saturationLux = luxFromChargeTime(SAMPLER.chargeTimeLimit, SAMPLER.calibration);
  return {
    noiseModel: 'RcPhotoresistorCircuit defaults: edge timestamp jitter |N(0, 1 µs)|, input threshold noise N(0, 5 mV) around 1.6 V',
    sampler: SAMPLER,
    settings: rows,
    gpiozeroSaturationLux: saturationLux,
    seconds: { ours: oursSeconds, gpiozero: (performance.now() - t1) / 1000 },
  };
}
