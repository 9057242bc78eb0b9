// Operating a fleet on a real kubelet (charts/light-sensor/README.md, "Readiness"; and
// `gpio-fleet doctor`): what kwok cannot show, because only a real kubelet runs the container
// and probes its /readyz.
// - A broken sensor (the mock's `disconnected` fault: every reading times out) still makes the
//   pod Ready, and a `helm upgrade` rolls over that Pi and completes.
// - `gpio-fleet doctor real-0` on a node that runs the pod for real reports only what is true of
//   this machine: it is no Raspberry Pi.
import { join } from 'node:path';
import { layoutRef, pushImage } from '@gpio-fleet/cluster-tests';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chartDir, freshNamespace, gpioFleet, helm, imageRepository, installApp, isReady, labelNode, NODE, podName, readyPod, repoRoot, suffix, unlabelNode, waitFor, type Namespace } from './support/cluster.js';

let ns: Namespace;
let first: V1Pod;
const upgradeTag = `${inject('imageTags')['light-sensor']}-again-${suffix()}`;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('fleet-ops');
  // A second tag of the same image, so the upgrade changes the pod template and rolls.
  const layout = join(repoRoot, 'dist', 'images', 'light-sensor');
  pushImage(inject('skopeo'), { layout, layoutRef: layoutRef(layout), registry: inject('registry'), repository: 'light-sensor', tag: upgradeTag });
  await installApp(ns.name, 'light-sensor', ['mock.fault=disconnected', 'sensor.timeout=500ms']);
  await labelNode();
  first = await readyPod(ns.name, 'light-sensor');
}, 600_000);

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

describe('readiness that does not stall a rollout', () => {
  it('with every reading timing out, the kubelet still finds the pod Ready', async () => {
    expect(isReady(first)).toBe(true);
    const readings = await waitFor('a reading attempt that timed out', async () => {
      const r = await gpioFleet(['readings', '--namespace', ns.name, '--output', 'json']);
      const rows = JSON.parse(r.stdout || '[]') as { node: string; lux?: number | null; lastReading?: number; error?: string }[];
      return rows.length === 1 && !rows[0]!.error ? rows : undefined;
    });
    expect(readings[0]).toMatchObject({ node: NODE });
    // No good reading ever: the lux is not a number, and the last good reading never happened.
    expect(readings[0]!.lux ?? null).toBeNull();
    expect(readings[0]!.lastReading ?? 0).toBe(0);
  });

  it('helm upgrade --wait rolls over the broken Pi and completes', async () => {
    await helm(['upgrade', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--reuse-values', '--set', `image.tag=${upgradeTag}`, '--wait', '--timeout', '3m']);
    const next = await readyPod(ns.name, 'light-sensor', 180_000, podName(first));
    // The spec, not status.image: both tags name one digest, and containerd reports either.
    expect(next.spec?.containers[0]?.image).toBe(`${imageRepository('light-sensor')}:${upgradeTag}`);
    expect(isReady(next)).toBe(true);
    const status = await gpioFleet(['status', 'light-sensor', '--namespace', ns.name]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
  });
});

describe('gpio-fleet doctor on the real node', () => {
  it('finds only that this machine is no Raspberry Pi; pod, arch, readiness and readings are fine', async () => {
    // The sensor is broken here, which doctor reports through the reading's age: heal it first.
    const broken = await readyPod(ns.name, 'light-sensor');
    await helm(['upgrade', 'light-sensor', chartDir('light-sensor'), '--namespace', ns.name, '--reuse-values', '--set', 'mock.fault=none', '--wait', '--timeout', '3m']);
    // helm's --wait lets a DaemonSet be maxUnavailable (1) short of Ready, which on one node is
    // all of it: wait for the healed pod itself.
    await readyPod(ns.name, 'light-sensor', 180_000, podName(broken));
    const r = await waitFor('doctor to see a fresh reading', async () => {
      const d = await gpioFleet(['doctor', NODE, '--namespace', ns.name, '--output', 'json']);
      const report = (JSON.parse(d.stdout || '{"nodes":[]}') as { nodes: { findings: { check: string; status: string; detail: string }[] }[] }).nodes[0];
      return report?.findings.find((f) => f.check === 'reading')?.status === 'ok' ? { d, report } : undefined;
    }, 120_000, 2000);
    expect(r.d.code).toBe(3);
    const status = (check: string) => r.report.findings.find((f) => f.check === check)?.status;
    const problems = r.report.findings.filter((f) => f.status === 'problem');
    expect(problems.map((f) => f.check), JSON.stringify(problems)).toEqual(['pi']);
    expect([status('ready'), status('arch'), status('pod'), status('reading')]).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});
