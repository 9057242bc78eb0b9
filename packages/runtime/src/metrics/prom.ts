// The metric types every gpio-fleet service uses, from prom-client's core modules only.
// prom-client's index loads all of it at once: its Pushgateway (http, https and so tls and
// OpenSSL, zlib), cluster aggregation, summaries (a t-digest) and OpenTelemetry. None of that
// is used here, and on the measuring machine it cost the idle light-sensor about 3 MB of
// resident memory (bench/README.md, "Reading the results"). Import these from
// @gpio-fleet/runtime, never values from 'prom-client' itself (eslint enforces it).
import type * as PromClient from 'prom-client';
import CounterClass from 'prom-client/lib/counter.js';
import GaugeClass from 'prom-client/lib/gauge.js';
import HistogramClass from 'prom-client/lib/histogram.js';
import RegistryClass from 'prom-client/lib/registry.js';

export const Registry: typeof PromClient.Registry = RegistryClass;
export type Registry = PromClient.Registry;
export const Counter: typeof PromClient.Counter = CounterClass;
export type Counter<T extends string = string> = PromClient.Counter<T>;
export const Gauge: typeof PromClient.Gauge = GaugeClass;
export type Gauge<T extends string = string> = PromClient.Gauge<T>;
export const Histogram: typeof PromClient.Histogram = HistogramClass;
export type Histogram<T extends string = string> = PromClient.Histogram<T>;
