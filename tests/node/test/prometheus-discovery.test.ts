// 2. Discovered and scraped: a real Prometheus with deploy/prometheus/kubernetes/prometheus.yml
// (kubernetes_sd_configs role pod, the prometheus.io annotations) finds the pods on real-0
// through the API server, as the ServiceAccount of deploy/prometheus/kubernetes/rbac.yaml, and
// stores what they serve. The README documents these files as the way to scrape the charts
// without prometheus-operator; this test runs them as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlock } from '@gpio-fleet/test-tools';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyYamlFile, authorization, deleteNamespace, deleteObjects, freshNamespace, installApp, labelNode, readyPod, repoRoot, suffix, unlabelNode, waitFor, type Namespace } from './support/cluster.js';
import { startPrometheusInCluster, type RunningPrometheus } from './support/prometheus.js';

const MOCK_LUX = 250;
const deployDir = join(repoRoot, 'deploy', 'prometheus', 'kubernetes');
const SERVICE_ACCOUNT = { namespace: 'monitoring', name: 'prometheus' };

let ns: Namespace;
let rbac: KubernetesObject[] = [];
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('scrape');
  await installApp(ns.name, 'light-sensor', [`mock.lux=${MOCK_LUX}`]);
  await installApp(ns.name, 'traffic-light');
  await labelNode();
  await Promise.all([readyPod(ns.name, 'light-sensor'), readyPod(ns.name, 'traffic-light')]);
  rbac = await applyYamlFile(join(deployDir, 'rbac.yaml'));
  prometheus = await startPrometheusInCluster({ config: join(deployDir, 'prometheus.yml'), dir: join(inject('nodeRunDir'), 'scratch', `prometheus-${suffix()}`), serviceAccount: SERVICE_ACCOUNT });
});

afterAll(async () => {
  await prometheus?.stop();
  await deleteObjects(rbac.filter((o) => o.kind !== 'Namespace'));
  await deleteNamespace(SERVICE_ACCOUNT.namespace);
  await unlabelNode();
  await ns?.remove();
});

/** Polls until the query has a result (discovery, then the first scrape of a 15 s interval). */
async function samples(promql: string) {
  return waitFor(`Prometheus to store ${promql}`, async () => {
    const r = await prometheus!.query(promql);
    return r.length > 0 ? r : undefined;
  }, 90_000, 500).catch(async (e: unknown) => {
    throw new Error(`${String(e)}\nactive targets: ${JSON.stringify(await prometheus!.targets(), null, 1)}`);
  });
}

describe('2. discovered and scraped', () => {
  it(`discovers the light-sensor pod and stores light_sensor_illuminance_lux{node="real-0"} within 5 % of mock.lux=${MOCK_LUX}`, async () => {
    const [lux] = await samples(`light_sensor_illuminance_lux{node="real-0",namespace="${ns.name}"}`);
    const value = Number(lux!.value[1]);
    process.stdout.write(`[node-tests] Prometheus stored ${value} lux for mock.lux=${MOCK_LUX} (${((Math.abs(value - MOCK_LUX) / MOCK_LUX) * 100).toFixed(2)} % off)\n`);
    expect(Math.abs(value - MOCK_LUX) / MOCK_LUX).toBeLessThan(0.05);
    // The labels the configuration gives: the app as the job, the pod and its namespace.
    expect(lux!.metric).toMatchObject({ job: 'light-sensor', namespace: ns.name, node: 'real-0' });
    expect(lux!.metric.pod).toMatch(/^light-sensor-/);
    // Scraped at the pod IP on the port of its prometheus.io/port annotation.
    const target = (await prometheus!.targets()).find((t) => t.labels.pod === lux!.metric.pod);
    expect(target?.scrapeUrl).toMatch(/^http:\/\/10\.200\.0\.\d+:9110\/metrics$/);
    expect(target?.health).toBe('up');
  });

  it('stores the traffic light\'s phases the same way', async () => {
    const phases = await samples(`traffic_light_phase{node="real-0",namespace="${ns.name}"}`);
    expect(phases.every((s) => s.metric.job === 'traffic-light')).toBe(true);
    expect(phases.map((s) => s.metric.phase).sort()).toEqual(['amber', 'green', 'red', 'red_amber']);
    // Exactly one phase is current.
    expect(phases.filter((s) => s.value[1] === '1')).toHaveLength(1);
    const lamps = await samples(`traffic_light_lamp_on{node="real-0",namespace="${ns.name}"}`);
    expect(lamps.map((s) => s.metric.lamp).sort()).toEqual(['amber', 'green', 'red']);
  });

  it('is configured by the files the README shows', () => {
    // The README's blocks are excerpts of the files this test runs, verbatim.
    const fenced = (block: string) => /^```yaml\n([\s\S]*)\n```$/.exec(readmeBlock(block))?.[1];
    expect(readFileSync(join(deployDir, 'prometheus.yml'), 'utf8')).toContain(fenced('prometheus-kubernetes'));
    expect(readFileSync(join(deployDir, 'rbac.yaml'), 'utf8')).toContain(fenced('prometheus-kubernetes-rbac'));
  });

  it('its ServiceAccount may list and watch pods, and nothing else it does not need', async () => {
    const may = async (attributes: { verb: string; resource: string; subresource?: string; group?: string }) =>
      (
        await authorization().createSubjectAccessReview({
          body: { spec: { user: `system:serviceaccount:${SERVICE_ACCOUNT.namespace}:${SERVICE_ACCOUNT.name}`, groups: ['system:serviceaccounts', 'system:authenticated'], resourceAttributes: attributes } },
        })
      ).status?.allowed === true;
    expect(await may({ verb: 'list', resource: 'pods' })).toBe(true);
    expect(await may({ verb: 'watch', resource: 'pods' })).toBe(true);
    for (const denied of [
      { verb: 'get', resource: 'pods' },
      { verb: 'get', resource: 'pods', subresource: 'proxy' },
      { verb: 'list', resource: 'nodes' },
      { verb: 'list', resource: 'secrets' },
      { verb: 'list', resource: 'services' },
      { verb: 'list', resource: 'endpointslices', group: 'discovery.k8s.io' },
      { verb: 'patch', resource: 'pods' },
    ]) {
      expect(await may(denied), JSON.stringify(denied)).toBe(false);
    }
  });
});
