// What /metrics serves: the app's own families rendered fresh on every scrape, plus the
// process_*/nodejs_* families (process-metrics.ts). Those read /proc and wait one turn of the
// event loop, and change slowly, so they are cached for up to a second: a scrape storm then
// cannot starve the event loop that times the GPIO readings.
import { registerProcessMetrics } from './process-metrics.js';
import { Registry } from './prom.js';

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
  private cached: { text: Promise<string>; at: number } | undefined;
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
      registerProcessMetrics(this.processRegistry);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async metrics(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.processRegistry) return own;
    const t = this.now();
    // Scrapes that arrive while a collection is under way share it.
    if (!this.cached || t - this.cached.at > this.maxAge) this.cached = { text: this.processRegistry.metrics(), at: t };
    return `${own}\n${await this.cached.text}`;
  }
}
