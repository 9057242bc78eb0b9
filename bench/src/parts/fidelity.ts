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
  type SamplerOptions,
} from '@gpio-fleet/gpio';
import { REPO, type Log } from '../lib/prerequisites.js';
import { logSweep, median, resolution95, stddev } from '../lib/stats.js';

/** The light-sensor app's defaults (apps/light-sensor/src/options.ts). */
export const SAMPLER: Readonly<SamplerOptions> = Object.freeze({
  interval: 1,
  discharge: 0.1,
  timeout: 1,
  pull: 'none',
  chargeTimeLimit: 0.01,
  queueLen: 5,
  calibration: DEFAULT_CALIBRATION,
});

export interface Sample {
  result: string;
  chargeSeconds: number;
  single: number;
  estimate: number;
  level: number;
}

/**
 * `count` readings at a constant `lux` on a virtual clock. The circuit uses the mock's default
 * noise model, as the app's mock does (timestamp jitter and threshold noise, seeded).
 */
export async function sampleAt(lux: number, count: number, seed: number): Promise<Sample[]> {
  const clock = new VirtualClock(0);
  const driver = new MockDriver(clock);
  driver.attach('BOARD7', new RcPhotoresistorCircuit({ light: constantLight(lux), seed }));
  const factory = new PinFactory(driver);
  const line = await factory.openOutput('BOARD7', 'bench', 0);
  const readings: Sample[] = [];
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
function gpiozeroValues(python: string, chargeTimes: number[], samples: number): { values: number[] }[] {
  const out = execFileSync(python, [join(REPO, 'bench', 'python', 'gpiozero_fidelity.py'), '--samples', String(samples), ...chargeTimes.map(String)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return (JSON.parse(out) as { results: { values: number[] }[] }).results;
}

interface Resolution {
  sigmaLux: number;
  resolutionLux: number;
  relativeResolution: number;
}

export interface FidelitySetting {
  lux: number;
  chargeSeconds: number;
  readings: number;
  timeouts: number;
  medianEstimate: number;
  relativeError: number;
  singleReading: Resolution;
  reportedEstimate: Resolution;
  ourLevel: number;
  gpiozeroValues: number[];
  gpiozeroValue: number;
  gpiozeroIdealValue: number;
}

export interface FidelityResult {
  noiseModel: string;
  sampler: Readonly<SamplerOptions>;
  settings: FidelitySetting[];
  gpiozeroSaturationLux: number;
  seconds: { ours: number; gpiozero: number };
}

export async function measureFidelity({ python, readingsPerSetting, gpiozeroSamples, log }: { python: string; readingsPerSetting: number; gpiozeroSamples: number; log: Log }): Promise<FidelityResult> {
  const settings = logSweep(0.1, 10_000, 3);
  log(`part 2: ${settings.length} settings × ${readingsPerSetting} readings on the virtual clock`);
  const t0 = performance.now();
  const rows: Omit<FidelitySetting, 'gpiozeroValues' | 'gpiozeroValue' | 'gpiozeroIdealValue'>[] = [];
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
  const withGpiozero: FidelitySetting[] = rows.map((r, i) => ({
    ...r,
    gpiozeroValues: gz[i]!.values,
    gpiozeroValue: median(gz[i]!.values),
    gpiozeroIdealValue: lightLevel(r.chargeSeconds, SAMPLER.chargeTimeLimit),
  }));
  // The lux where gpiozero's value reaches 0: its charge time equals charge_time_limit.
  const saturationLux = luxFromChargeTime(SAMPLER.chargeTimeLimit, SAMPLER.calibration);
  return {
    noiseModel: 'RcPhotoresistorCircuit defaults: edge timestamp jitter |N(0, 1 µs)|, input threshold noise N(0, 5 mV) around 1.6 V',
    sampler: SAMPLER,
    settings: withGpiozero,
    gpiozeroSaturationLux: saturationLux,
    seconds: { ours: oursSeconds, gpiozero: (performance.now() - t1) / 1000 },
  };
}
