// 5. Stopped by a kubelet: deleting a pod through the API makes the kubelet send SIGTERM to the
// container; the app switches its lamps off and logs the clean "stopped" line with exit code 0
// within the grace period. The same for every pod of `helm uninstall`.
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, followLog, freshNamespace, helm, installApp, jsonRecords, labelNode, podName, readyPod, unlabelNode, watchPod, type Namespace } from './support/cluster.js';

let ns: Namespace;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('stopped');
  await installApp(ns.name, 'traffic-light');
  await installApp(ns.name, 'light-sensor');
  await labelNode();
  await Promise.all([readyPod(ns.name, 'traffic-light'), readyPod(ns.name, 'light-sensor')]);
});

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

const grace = (p: V1Pod) => p.spec?.terminationGracePeriodSeconds ?? 30;

/** Follows the pod's log, runs `stop`, and returns what the log ended with and how long that took. */
async function stopAndFollow(pod: V1Pod, stop: () => Promise<unknown>) {
  const name = podName(pod);
  const log = await followLog(ns.name, name);
  const watch = await watchPod(ns.name, name);
  const t0 = performance.now();
  await stop();
  await log.ended;
  const seconds = (performance.now() - t0) / 1000;
  // The container's own exit code, as the kubelet reported it before the pod object went.
  const exitCode = await new Promise<number | undefined>((resolve) => {
    const deadline = Date.now() + 30_000;
    const poll = () => {
      const code = watch.seen.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).find((c) => c !== undefined);
      if (code !== undefined || Date.now() > deadline) resolve(code);
      else setTimeout(poll, 100);
    };
    poll();
  });
  watch.stop();
  const records = jsonRecords(log.text());
  return { last: records.at(-1), records, seconds, exitCode };
}

describe('5. stopped by a kubelet', () => {
  it('a deleted traffic-light pod ends its log with the clean stopped line (lamps off, exit 0) within its grace period', async () => {
    const pod = await readyPod(ns.name, 'traffic-light');
    const r = await stopAndFollow(pod, () => core().deleteNamespacedPod({ name: podName(pod), namespace: ns.name }));
    process.stdout.write(`[node-tests] traffic-light: log ended ${r.seconds.toFixed(1)} s after the delete (grace ${grace(pod)} s)\n`);
    expect(r.last, JSON.stringify(r.records.slice(-3))).toMatchObject({ msg: 'stopped', exitCode: 0 });
    expect(r.last!.steps).toEqual(expect.arrayContaining(['switch lamps off']));
    expect(r.records.some((l) => l.msg === 'all lamps off')).toBe(true);
    expect(r.seconds).toBeLessThan(grace(pod));
    expect(r.exitCode).toBe(0);
    // The DaemonSet puts a new pod on real-0.
    await readyPod(ns.name, 'traffic-light', 120_000, podName(pod));
  });

  it('helm uninstall light-sensor: its pod ends with the same clean stopped line', async () => {
    const pod = await readyPod(ns.name, 'light-sensor');
    const r = await stopAndFollow(pod, () => helm(['uninstall', 'light-sensor', '--namespace', ns.name]));
    process.stdout.write(`[node-tests] light-sensor: log ended ${r.seconds.toFixed(1)} s after helm uninstall (grace ${grace(pod)} s)\n`);
    expect(r.last, JSON.stringify(r.records.slice(-3))).toMatchObject({ msg: 'stopped', exitCode: 0 });
    expect(r.seconds).toBeLessThan(grace(pod));
    expect(r.exitCode).toBe(0);
  });
});
