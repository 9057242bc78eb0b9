// 7. Restart on failure: the mock's write-failure fault makes traffic-light exit 1, as a broken
// GPIO would. The kubelet restarts the container, `gpio-fleet status` shows the restart, and the
// new container drives the lamps again.
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, freshNamespace, gpioFleet, installApp, jsonRecords, labelNode, NODE, podLog, podName, readyPod, unlabelNode, waitFor, type Namespace } from './support/cluster.js';

const PORT = 9111;
let ns: Namespace;
let pod: V1Pod;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('restart');
  await installApp(ns.name, 'traffic-light');
  await labelNode();
  pod = await readyPod(ns.name, 'traffic-light');
});

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

const metrics = async (ip: string) => (await fetch(`http://${ip}:${PORT}/metrics`)).text();
const litLamps = (text: string) => [...text.matchAll(/^traffic_light_lamp_on\{[^}]*lamp="(\w+)"[^}]*\} 1$/gm)].map((m) => m[1]).sort().join('+');

describe('7. restart on failure', () => {
  it('a failed lamp write exits 1; the kubelet restarts it; gpio-fleet status shows the restart; the lamps run again', async () => {
    const name = podName(pod);
    const ip = pod.status!.podIP!;
    // From this machine straight to the pod IP on the node's bridge, as Prometheus scrapes it.
    const fault = await fetch(`http://${ip}:${PORT}/mock/fault`, { method: 'PUT', body: 'write-failure:red' });
    expect(fault.status).toBe(200);

    const restarted = await waitFor('the kubelet to restart the container after it exited 1', async () => {
      const p = await core().readNamespacedPod({ name, namespace: ns.name });
      const c = p.status?.containerStatuses?.[0];
      return (c?.restartCount ?? 0) >= 1 && c?.ready ? p : undefined;
    }, 120_000, 200);
    const last = restarted.status!.containerStatuses![0]!.lastState?.terminated;
    expect(last).toMatchObject({ exitCode: 1, reason: 'Error' });
    // The previous container said why before it went.
    const previous = jsonRecords(await podLog(ns.name, name, true));
    expect(previous.some((l) => l.level === 'error')).toBe(true);
    expect(previous.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 1 });

    const status = await gpioFleet(['status', 'traffic-light', '--namespace', ns.name, '--output', 'json']);
    expect(status.code, status.stderr).toBe(0);
    const [app] = JSON.parse(status.stdout) as { pods: { node: string; pod: string; restarts: number; ready: boolean }[] }[];
    expect(app!.pods).toEqual([expect.objectContaining({ node: NODE, pod: name, ready: true })]);
    expect(app!.pods[0]!.restarts).toBeGreaterThanOrEqual(1);
    const table = await gpioFleet(['status', 'traffic-light', '--namespace', ns.name]);
    expect(table.stdout).toMatch(new RegExp(`^${NODE}\\s+${name}\\s+Running\\s+yes\\s+[1-9]\\d*\\s`, 'm'));

    // The new container (same pod IP) cycles through its phases again: the lit lamps change.
    const seen = new Set<string>();
    await waitFor('the restarted traffic light to change its lamps', async () => {
      seen.add(litLamps(await metrics(ip)));
      return seen.size >= 2 ? true : undefined;
    }, 30_000, 250);
    expect(jsonRecords(await podLog(ns.name, name)).some((l) => l.msg === 'phase')).toBe(true);
  });
});
