// Where the charts live, for the scripts that generate and package their parts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const chartsDir = fileURLToPath(new URL('../../../charts/', import.meta.url));
/** The library chart every app chart depends on. */
export const LIBRARY = 'gpio-fleet-common';
export const libraryDir = (root = chartsDir) => join(root, LIBRARY);
/** The app charts, each with the library as its one dependency. */
export const appCharts = ['light-sensor', 'traffic-light'];
/**
 * Charts that are not apps: they use the library's helpers (so its archive and Chart.lock are
 * generated for them too) and have a generated values table, but no shared values.
 */
export const otherCharts = ['gpio-device-plugin'];

/** The command that regenerates every generated part under charts/, for failure messages. */
export const GENERATE_COMMAND = 'npm run charts:generate';
