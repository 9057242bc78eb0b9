// One registry per service. NODE_NAME (from the downward API) becomes a label on every
// series, so a fleet-wide query can tell the Pis apart without relabelling.
import { Gauge, Registry } from 'prom-client';

export interface RegistryOptions {
  /** Value for the `node` label on every series; omitted when undefined. */
  nodeName?: string | undefined;
}

/** A bare registry with the node label (tests and tools); services use Exposition. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.nodeName) registry.setDefaultLabels({ node: options.nodeName });
  return registry;
}

/** Prefixes of the families prom-client adds itself (some fail `promtool check metrics`). */
export const PROCESS_METRIC_PREFIXES = ['process_', 'nodejs_'] as const;

/**
 * `gpio_backend_info{backend,pin} 1` per claimed pin: which backend drives which pin, and
 * whether it is the simulator, visible in every scrape.
 */
export function registerBackendInfo(registry: Registry, backend: string, pins: readonly string[]): Gauge<'backend' | 'pin'> {
  const g = new Gauge({
    name: 'gpio_backend_info',
    help: 'GPIO backend in use for each pin (value is always 1); backend="mock" means simulated hardware.',
    labelNames: ['backend', 'pin'] as const,
    registers: [registry],
  });
  for (const pin of pins) g.set({ backend, pin }, 1);
  return g;
}

/** Exponential bucket bounds from `start` to `end` inclusive, `perDecade` per factor of 10. */
export function logBuckets(start: number, end: number, perDecade: number): number[] {
  const out: number[] = [];
  const steps = Math.round(Math.log10(end / start) * perDecade);
  for (let i = 0; i <= steps; i++) out.push(Number((start * 10 ** (i / perDecade)).toPrecision(3)));
  return out;
}
