// Where the charts live, seen from this test workspace.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const chartsDir = join(repoRoot, 'charts');
export const libraryChart = 'gpio-fleet-common';

export interface AppChart {
  name: 'light-sensor' | 'traffic-light';
  /** The app's default metrics port (app CLI contract). */
  port: number;
  /** The app's default image repository. */
  repository: string;
}

export const appCharts: readonly AppChart[] = [
  { name: 'light-sensor', port: 9110, repository: 'ghcr.io/gpio-fleet/light-sensor' },
  { name: 'traffic-light', port: 9111, repository: 'ghcr.io/gpio-fleet/traffic-light' },
];

export const chartPath = (name: string): string => join(chartsDir, name);
