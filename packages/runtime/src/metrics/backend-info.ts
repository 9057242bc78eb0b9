// Which backend drives which pin, and whether it is the simulator, visible in every scrape.
import { Gauge, type Registry } from './prom.js';

/** `gpio_backend_info{backend,pin} 1` per claimed pin. */
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
