// 3. The fleet CLI against a real pod: `gpio-fleet readings` reads real-0's light-sensor through
// the API server's pod proxy (the API server reaches the pod on the node's bridge), and
// `gpio-fleet status light-sensor` shows the pod Ready as the kubelet reports it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, gpioFleet, installApp, labelNode, NODE, podName, readyPod, unlabelNode, type Namespace } from './support/cluster.js';

const MOCK_LUX = 400;
let ns: Namespace;
let pod: string;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('fleet-cli');
  await installApp(ns.name, 'light-sensor', [`mock.lux=${MOCK_LUX}`]);
  await labelNode();
  pod = podName(await readyPod(ns.name, 'light-sensor'));
});

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

describe('3. the fleet CLI against a real pod', () => {
  it(`gpio-fleet readings shows real-0's reading (mock.lux=${MOCK_LUX}) through the pod proxy`, async () => {
    const r = await gpioFleet(['readings', '--namespace', ns.name, '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const readings = JSON.parse(r.stdout) as { node: string; pod: string; lux?: number; level?: number; error?: string }[];
    expect(readings).toHaveLength(1);
    const [reading] = readings;
    expect(reading).toMatchObject({ node: NODE, pod });
    expect(reading!.error).toBeUndefined();
    expect(Math.abs(reading!.lux! - MOCK_LUX) / MOCK_LUX).toBeLessThan(0.05);
    const table = await gpioFleet(['readings', '--namespace', ns.name]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${NODE}\\s+${ns.name}/${pod}\\s+[\\d.]+\\s+[\\d.]+\\s`, 'm'));
  });

  it('gpio-fleet status light-sensor shows the pod on real-0 Running and Ready, the rollout complete', async () => {
    const r = await gpioFleet(['status', 'light-sensor', '--namespace', ns.name, '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [app] = JSON.parse(r.stdout) as { desired: number; ready: number; complete: boolean; pods: { node: string; pod: string; phase: string; ready: boolean; restarts: number }[] }[];
    expect(app).toMatchObject({ desired: 1, ready: 1, complete: true });
    expect(app!.pods).toEqual([expect.objectContaining({ node: NODE, pod, phase: 'Running', ready: true, restarts: 0 })]);
    const table = await gpioFleet(['status', 'light-sensor', '--namespace', ns.name]);
    expect(table.stdout).toMatch(new RegExp(`^${NODE}\\s+${pod}\\s+Running\\s+yes\\s+0\\s`, 'm'));
  });
});
