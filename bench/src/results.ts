// The shape of a run's results: what bench/results/<timestamp>.json holds and the report reads.
import type { Builds } from './lib/prerequisites.js';
import type { Machine } from './lib/machine.js';
import type { FidelityResult } from './parts/fidelity.js';
import type { FleetResult } from './parts/fleet.js';
import type { FootprintResult } from './parts/footprint.js';
import type { MetricsLoadResult } from './parts/metrics-load.js';
import type { ReadingCostResult } from './parts/reading-cost.js';
import type { RealNodeResult } from './parts/real-node.js';
import type { TrafficTimingResult } from './parts/traffic-timing.js';

/** A part that threw: its message instead of its figures. */
export interface PartFailure {
  error: string;
}

type Measured<T> = (T & { partSeconds?: number }) | PartFailure;

export interface Parts {
  readingCost?: Measured<ReadingCostResult>;
  fidelity?: Measured<FidelityResult>;
  trafficTiming?: Measured<TrafficTimingResult>;
  metricsLoad?: Measured<MetricsLoadResult>;
  footprint?: Measured<FootprintResult>;
  fleet?: Measured<FleetResult>;
  realNode?: Measured<RealNodeResult>;
}

/** What the report needs of a run. */
export interface ReportInput {
  command: string;
  startedAt: string;
  totalSeconds: number;
  builds: Builds;
  machine: Machine;
  parts: Parts;
}

export interface RunResults extends ReportInput {
  quick: boolean;
  settings: Record<string, unknown>;
}

export const failed = <T extends object>(r: T | PartFailure): r is PartFailure => 'error' in r;
