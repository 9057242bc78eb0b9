// gpio-fleet readings: the latest light level and lux on each node, from each light-sensor
// pod's /metrics, fetched through the API server's pod proxy (no direct network access to the
// nodes needed, only RBAC on pods/proxy). Pods are read --concurrency at a time, each within
// --timeout, so a thousand Pis or one silent Pi do not hold it up.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../kube/cluster.js';
import { KubeError } from '../kube/errors.js';
import { parseMetrics, sampleValue } from '../model/metrics-text.js';
import { fetchOptions, type FetchSettings } from '../options.js';
import { mapBounded } from '../run/bounded.js';
import { json, type CommandContext } from '../context.js';
import { renderTable } from '../output/table.js';

export const LIGHT_SENSOR_SELECTOR = 'app.kubernetes.io/part-of=gpio-fleet,app.kubernetes.io/name=light-sensor';

export const readingsCommand = {
  name: 'readings',
  usage: 'gpio-fleet readings [options]',
  summary: "Shows the latest light level (0 dark .. 1 bright) and illuminance (lux) per node, read from each running light-sensor pod's /metrics through the API server's pod proxy (GET pods/<pod>:<port>/proxy/metrics). Exits 1 when any pod could not be read.",
  footer: 'Examples:\n  gpio-fleet readings\n  gpio-fleet readings --namespace sensors --output json\n  gpio-fleet readings --concurrency 32 --timeout 2s',
  options: fetchOptions,
  positionals: false,
};

export interface Reading {
  node: string;
  namespace: string;
  pod: string;
  level: number | undefined;
  lux: number | undefined;
  /** Unix seconds of the last successful reading. */
  lastReading: number | undefined;
  error: string | undefined;
}

/** The pod's port named "metrics" (the charts name it so), else `fallback`. */
export function metricsPort(pod: V1Pod, fallback = 9110): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === 'metrics') return p.containerPort;
  return fallback;
}

const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

/**
 * One light-sensor pod's latest values from its /metrics. A pod that cannot be read (not
 * answering, the proxy refusing) gives a Reading with `error`; a refusal that concerns every
 * pod (RBAC, an unreachable API server) throws.
 */
export async function readSensor(cluster: Cluster, p: V1Pod, timeoutSeconds: number): Promise<Reading> {
  const base = { node: p.spec?.nodeName ?? '', namespace: p.metadata?.namespace ?? '', pod: p.metadata?.name ?? '' };
  try {
    const samples = parseMetrics(await cluster.podProxyGet(base.namespace, base.pod, metricsPort(p), 'metrics', timeoutSeconds * 1000));
    return { ...base, level: sampleValue(samples, 'light_sensor_level'), lux: sampleValue(samples, 'light_sensor_illuminance_lux'), lastReading: sampleValue(samples, 'light_sensor_last_reading_timestamp_seconds'), error: undefined };
  } catch (e) {
    // One unreachable pod must not hide the others' readings.
    if (e instanceof KubeError && e.exitCode !== 1) throw e;
    return { ...base, level: undefined, lux: undefined, lastReading: undefined, error: e instanceof Error ? e.message : String(e) };
  }
}

export const runningPods = (pods: readonly V1Pod[]): V1Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);

export async function runReadings(ctx: CommandContext, settings: FetchSettings): Promise<number> {
  const cluster = ctx.cluster();
  const pods = runningPods(await cluster.listPods(LIGHT_SENSOR_SELECTOR, ctx.namespace));
  const shown = ctx.progress('reading pods', pods.length);
  const readings = await mapBounded(pods, settings.concurrency, (p) => readSensor(cluster, p, settings.timeout), () => shown.tick()).finally(() => shown.done());
  readings.sort((a, b) => a.node.localeCompare(b.node));
  if (ctx.output === 'json') ctx.write(json(readings));
  else if (readings.length === 0) ctx.write('no running light-sensor pods\n');
  else
    ctx.write(
      renderTable(
        ['NODE', 'POD', 'LEVEL', 'LUX', 'AGE'],
        readings.map((r) => [
          r.node,
          `${r.namespace}/${r.pod}`,
          r.error ? { text: 'error', tone: 'bad' } : fmt(r.level, 3),
          r.error ? { text: r.error, tone: 'bad' } : fmt(r.lux, 1),
          r.lastReading === undefined ? '-' : `${Math.max(0, Math.round(Date.now() / 1000 - r.lastReading))}s`,
        ]),
        { colour: ctx.colour },
      ),
    );
  return readings.some((r) => r.error) ? 1 : 0;
}
