// 10. The GPIO device plugin on a real kubelet. First why it runs as root: the kubelet's socket
// and directory as they are on this node, and the plugin run as uid 65534 against them. This
// machine has no GPIO chip, so the test
// makes a stand-in: a character device node with loop-control's numbers (10:237, which opens
// without any privilege and does nothing), owned by a group of its own, handed to the plugin
// with --device-path. Without the plugin the light-sensor pod (devicePlugin mode) stays Pending,
// naming the resource; with it the node advertises gpio-fleet.io/gpiochip, the pod schedules,
// and the container gets the node and GPIO_CHIP, opens the node as uid 65534 through its
// supplementalGroups, and fails only on the stand-in's first GPIO ioctl. A restarted kubelet is
// registered with again; a deleted stand-in makes the devices unhealthy and allocatable drop.
import { chownSync, chmodSync, existsSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { containerSpec, launchDetached, readNodeState, recordNodeProcess, stopPid, type OciSpec } from '@gpio-fleet/cluster-tests';
import { start } from '@gpio-fleet/test-tools/processes';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  chartDir,
  core,
  freshNamespace,
  helm,
  imageRepository,
  isReady,
  jsonRecords,
  labelNode,
  NODE,
  podLog,
  podName,
  readyPod,
  repoRoot,
  runtimeView,
  suffix,
  unlabelNode,
  waitFor,
  type Namespace,
} from './support/cluster.js';

const RESOURCE = 'gpio-fleet.io/gpiochip';
const COUNT = '8';
/** The stand-in's group: the app pod gets it through gpio.groupId (supplementalGroups). */
const GID = 4242;
const STAND_IN = `/dev/gpio-standin-${suffix()}`;
const [MAJOR, MINOR] = [10, 237];
const DEVICE_PLUGINS = '/var/lib/kubelet/device-plugins';
/** Pod Security "privileged": host paths are refused at every lower level. */
const PRIVILEGED = { 'pod-security.kubernetes.io/enforce': 'privileged' };

/** The parts of the OCI spec this test reads beyond what OciSpec names. */
type Spec = OciSpec & {
  mounts?: { destination: string; source?: string; options?: string[] }[];
  process?: OciSpec['process'] & { env?: string[] };
  linux?: OciSpec['linux'] & {
    devices?: { path: string; type: string; major: number; minor: number; uid?: number; gid?: number }[];
    resources?: { devices?: { allow: boolean; type?: string; major?: number; minor?: number; access?: string }[] };
  };
};

let plugins: Namespace;
let apps: Namespace;

const node = async (): Promise<V1Node> => core().readNode({ name: NODE });
const allocatable = async () => (await node()).status?.allocatable?.[RESOURCE];
const capacity = async () => (await node()).status?.capacity?.[RESOURCE];

/** Whether a DaemonSet pod is real-0's: bound there, or (still Pending) pinned there by its node affinity. */
const forRealNode = (p: V1Pod) =>
  p.spec?.nodeName === NODE ||
  (p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).some((t) =>
    (t.matchFields ?? []).some((f) => f.key === 'metadata.name' && f.values?.includes(NODE)),
  );

/** The light-sensor pod for real-0 (one, whatever its state). */
async function appPod(): Promise<V1Pod | undefined> {
  const pods = await core().listNamespacedPod({ namespace: apps.name, labelSelector: 'app.kubernetes.io/name=light-sensor' });
  return pods.items.find((p) => !p.metadata?.deletionTimestamp && forRealNode(p));
}
const pluginPod = () => readyPod(plugins.name, 'gpio-device-plugin');
const pluginLog = async () => jsonRecords(await podLog(plugins.name, podName(await pluginPod())));

function makeStandIn(): void {
  const r = spawnSync('mknod', [STAND_IN, 'c', String(MAJOR), String(MINOR)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mknod ${STAND_IN}: ${r.stderr}`);
  chownSync(STAND_IN, 0, GID);
  chmodSync(STAND_IN, 0o660);
}

/** Stops real-0's kubelet and starts it again with the same command line and environment. */
async function restartKubelet(): Promise<void> {
  const pid = readNodeState()?.pids.kubelet;
  if (pid === undefined) throw new Error('no kubelet is recorded for the real node');
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  if (!(await stopPid(pid, 20_000))) throw new Error('the kubelet ignored SIGTERM');
  const next = launchDetached('kubelet', argv[0]!, argv.slice(1), join(inject('nodeRunDir'), 'logs', 'kubelet.log'), env);
  recordNodeProcess('kubelet', next);
}

beforeAll(async () => {
  await unlabelNode();
  makeStandIn();
  plugins = await freshNamespace('gpio-plugin', PRIVILEGED);
  apps = await freshNamespace('gpio-apps');
});

afterAll(async () => {
  await unlabelNode();
  await helm(['uninstall', 'light-sensor', '--namespace', apps.name, '--wait']).catch(() => undefined);
  await helm(['uninstall', 'gpio-device-plugin', '--namespace', plugins.name, '--wait']).catch(() => undefined);
  await apps?.remove();
  await plugins?.remove();
  rmSync(STAND_IN, { force: true });
});

describe('10. the GPIO device plugin on a real kubelet', () => {
  it("only root may write to the kubelet's socket and its device-plugins directory: why the plugin runs as uid 0", () => {
    const dir = lstatSync(DEVICE_PLUGINS);
    const socket = lstatSync(join(DEVICE_PLUGINS, 'kubelet.sock'));
    const mode = (m: number) => `0${(m & 0o777).toString(8)}`;
    process.stdout.write(`[device-plugin] ${DEVICE_PLUGINS}: ${dir.uid}:${dir.gid} ${mode(dir.mode)}; kubelet.sock: ${socket.uid}:${socket.gid} ${mode(socket.mode)}\n`);
    expect(socket.isSocket()).toBe(true);
    // Connecting needs write permission on the socket, a socket of one's own needs it on the
    // directory: both are root's, and writable by no group or other user.
    for (const [what, st] of [['directory', dir], ['kubelet.sock', socket]] as const) {
      expect([st.uid, st.gid], what).toEqual([0, 0]);
      expect(st.mode & 0o022, `${what} ${mode(st.mode)}`).toBe(0);
    }
  });

  it('run as uid 65534 against this kubelet, the plugin cannot register, and says why', async () => {
    // The release bundle (built by the global setup's image build) on this machine's node.
    const bundle = join(repoRoot, 'dist', 'bundles', 'gpio-device-plugin.cjs');
    const p = start('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle, '--resource', 'example.com/non-root-probe', '--port', '0', '--host', '127.0.0.1']);
    try {
      const retry = await waitFor('a refused registration', () => jsonRecords(p.stderr()).find((r) => r.msg === 'registration failed; retrying'), 30_000);
      expect(JSON.stringify(retry.error)).toContain(`permission denied reaching ${DEVICE_PLUGINS}/kubelet.sock as uid 65534`);
    } finally {
      await p.stop();
    }
    expect(existsSync(join(DEVICE_PLUGINS, 'example.com_non-root-probe.sock'))).toBe(false);
  });

  it('before the plugin, the light-sensor pod (devicePlugin mode) stays Pending, and the reason names the resource', async () => {
    await helm(['install', 'light-sensor', chartDir('light-sensor'), '--namespace', apps.name, '--set', `image.repository=${imageRepository('light-sensor')}`, '--set', `gpio.groupId=${GID}`]);
    await labelNode();
    const pending = await waitFor(
      'the pod on real-0 to be unschedulable',
      async () => {
        const p = await appPod();
        const scheduled = p?.status?.conditions?.find((c) => c.type === 'PodScheduled');
        return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? { pod: p!, message: scheduled.message ?? '' } : undefined;
      },
      60_000,
    );
    expect(pending.message).toContain(`Insufficient ${RESOURCE}`);
    expect(pending.pod.spec?.nodeName).toBeUndefined();
    expect(await capacity()).toBeUndefined();
  });

  it('helm install gpio-device-plugin: the node advertises the resource, and the pod schedules', async () => {
    await helm(['install', 'gpio-device-plugin', chartDir('gpio-device-plugin'), '--namespace', plugins.name, '--set', `image.repository=${imageRepository('gpio-device-plugin')}`, '--set', `chip.devicePath=${STAND_IN}`]);
    const pod = await pluginPod();
    expect(pod.spec?.nodeName).toBe(NODE);
    await waitFor(`real-0 to advertise ${RESOURCE}`, async () => ((await allocatable()) === COUNT ? true : undefined), 60_000);
    expect(await capacity()).toBe(COUNT);
    const scheduled = await waitFor('the light-sensor pod to be scheduled and started', async () => {
      const p = await appPod();
      const s = p?.status?.containerStatuses?.[0];
      return p?.spec?.nodeName === NODE && (s?.state?.running ?? s?.state?.terminated ?? s?.lastState?.terminated) ? p : undefined;
    }, 120_000);
    expect(scheduled.spec?.containers[0]?.resources?.limits?.[RESOURCE]).toBe('1');
    expect(jsonRecords(await podLog(plugins.name, podName(pod))).find((r) => r.msg === 'allocated')).toMatchObject({ path: STAND_IN });
  });

  it('the plugin runs as uid 0 with no capabilities, a read-only root, and only its two host paths', async () => {
    const spec = runtimeView(await pluginPod()).spec as Spec;
    expect(spec.process?.user).toMatchObject({ uid: 0, gid: 0 });
    for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'] as const) expect(spec.process?.capabilities?.[set] ?? [], set).toEqual([]);
    expect(spec.process?.noNewPrivileges).toBe(true);
    expect(spec.root?.readonly).toBe(true);
    const host = (dest: string) => spec.mounts?.find((m) => m.destination === dest);
    expect(host('/var/lib/kubelet/device-plugins')?.source).toBe(DEVICE_PLUGINS);
    expect(host('/var/lib/kubelet/device-plugins')?.options).not.toContain('ro');
    expect(host('/host/dev')?.source).toBe('/dev');
    expect(host('/host/dev')?.options).toContain('ro');
  });

  it("the app's container gets the node with the host's group, GPIO_CHIP, and runs as uid 65534 with the group in supplementalGroups", async () => {
    const p = (await appPod())!;
    const s = p.status?.containerStatuses?.[0];
    const id = (s?.containerID ?? s?.lastState?.terminated?.containerID)!.replace(/^containerd:\/\//, '');
    const spec = containerSpec(inject('ctr'), inject('containerdSocket'), id) as Spec;
    expect(spec.linux?.devices?.find((d) => d.path === STAND_IN)).toMatchObject({ type: 'c', major: MAJOR, minor: MINOR, uid: 0, gid: GID });
    expect(spec.linux?.resources?.devices).toContainEqual(expect.objectContaining({ allow: true, type: 'c', major: MAJOR, minor: MINOR, access: 'rw' }));
    expect(spec.process?.env).toContain(`GPIO_CHIP=${STAND_IN}`);
    expect(spec.process?.user).toMatchObject({ uid: 65534, gid: 65534 });
    expect(spec.process?.user?.additionalGids).toContain(GID);
    expect(p.spec?.securityContext?.supplementalGroups).toContain(GID);
    expect(p.spec?.containers[0]?.securityContext?.privileged ?? false).toBe(false);
  });

  it("opening the node succeeds: the app's error is the stand-in's (not a GPIO chip), never EPERM or EACCES", async () => {
    const p = (await appPod())!;
    const text = await waitFor('the app to say why it stopped', async () => {
      const log = await podLog(apps.name, podName(p), true).catch(() => podLog(apps.name, podName(p)));
      return log.includes('GPIO_GET_CHIPINFO_IOCTL') ? log : undefined;
    }, 120_000);
    expect(text).toContain(`cannot use ${STAND_IN} (from --gpio-chip / GPIO_CHIP) as a GPIO chip`);
    expect(text).not.toMatch(/EPERM|EACCES|permission denied|operation not permitted/i);
  });

  it('restarting the kubelet makes the plugin register again', async () => {
    const before = (await pluginLog()).filter((r) => r.msg === 'registered with the kubelet').length;
    await restartKubelet();
    await waitFor('real-0 Ready again', async () => ((await node()).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? true : undefined), 120_000);
    const log = await waitFor('the plugin to register again', async () => {
      const records = await pluginLog();
      return records.filter((r) => r.msg === 'registered with the kubelet').length > before ? records : undefined;
    }, 60_000);
    expect(log.some((r) => r.msg === 'kubelet restarted: registering again')).toBe(true);
    await waitFor(`${RESOURCE} allocatable again`, async () => ((await allocatable()) === COUNT ? true : undefined), 60_000);
    expect(isReady(await pluginPod())).toBe(true);
  });

  it('deleting the stand-in makes the devices unhealthy: allocatable drops to 0, capacity stays', async () => {
    rmSync(STAND_IN);
    expect(existsSync(STAND_IN)).toBe(false);
    await waitFor('allocatable to drop to 0', async () => ((await allocatable()) === '0' ? true : undefined), 90_000);
    expect(await capacity()).toBe(COUNT);
    const gone = (await pluginLog()).find((r) => r.msg === 'GPIO chip gone: devices unhealthy');
    expect(gone?.reason).toBe(`${STAND_IN} (from --device-path) does not exist`);
  });
});
