// Heap after a full collection: the only honest number for "memory stays flat" in a soak.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function settledHeapBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Number of time series a prom-client registry exposes right now. */
export async function seriesCount(registry: { getMetricsAsJSON(): Promise<{ values: unknown[] }[]> }): Promise<number> {
  return (await registry.getMetricsAsJSON()).reduce((n, m) => n + m.values.length, 0);
}
