// What /metrics serves: the app's own families rendered fresh on every scrape, plus
// prom-client's process_*/nodejs_* families. Those cost ~20x more to collect than ours
// (~1 ms vs ~0.05 ms) and change slowly, so they are cached for up to a second: a scrape
// storm then cannot starve the event loop that times the GPIO readings.
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface ExpositionOptions {
  /** `node` label on every series (from the downward API's NODE_NAME). */
  nodeName?: string | undefined;
  /** Export process_* and nodejs_* too (default true). */
  processMetrics?: boolean;
  /** Oldest process-metrics text served, ms (default 1000). */
  processMaxAgeMs?: number;
  now?: () => number;
}

export class Exposition implements MetricsSource {
  /** Register the app's metrics here. */
  readonly registry = new Registry();
  private readonly processRegistry: Registry | undefined;
  private cached: { text: string; at: number } | undefined;
  private readonly maxAge: number;
  private readonly now: () => number;

  constructor(options: ExpositionOptions = {}) {
    this.maxAge = options.processMaxAgeMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    const labels = options.nodeName ? { node: options.nodeName } : undefined;
    if (labels) this.registry.setDefaultLabels(labels);
    if (options.processMetrics ?? true) {
      this.processRegistry = new Registry();
      if (labels) this.processRegistry.setDefaultLabels(labels);
      // prom-client samples event-loop delay every 10 ms by default: a timer that wakes the
      // process ~100 times a second and, in `npm run bench`, cost ~3x the CPU of the light
      // readings themselves. 100 ms still resolves any lag worth alerting on.
      collectDefaultMetrics({ register: this.processRegistry, eventLoopMonitoringPrecision: 100 });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async metrics(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.processRegistry) return own;
    const t = this.now();
    if (!this.cached || t - this.cached.at > this.maxAge) this.cached = { text: await this.processRegistry.metrics(), at: t };
    return `${own}\n${this.cached.text}`;
  }
}
