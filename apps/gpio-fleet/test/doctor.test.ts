// gpio-fleet doctor's checks, on API objects shaped like the cluster's: each missing thing is a
// problem with a fix, and a healthy Pi has none.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderDoctor } from '../src/commands/doctor.js';
import { daemonSetTargets } from '../src/model/daemonset-target.js';
import { diagnoseNode, fleetNodes, type DoctorInput, type Finding } from '../src/model/doctor.js';
import { devicePlugin, deviceUse, requestedDevices } from '../src/model/gpio-resource.js';
import { matchPlatform, nodePlatform, parsePlatforms } from '../src/model/platforms.js';

const NOW = 1_800_000_000;
const GPIO = 'smarter-devices/gpiochip0';

function pi(name: string, o: { arch?: string; kernel?: string; labels?: Record<string, string>; gpio?: string | null; ready?: boolean; taints?: { key: string; effect: string }[] } = {}): V1Node {
  const capacity: Record<string, string> = { cpu: '4', memory: '4Gi', ...(o.gpio === null ? {} : { [GPIO]: o.gpio ?? '10' }) };
  return {
    metadata: { name, labels: { 'kubernetes.io/arch': o.arch ?? 'arm64', ...(o.labels ?? { device: 'raspberry' }) } },
    spec: { taints: o.taints },
    status: {
      capacity,
      allocatable: { ...capacity },
      nodeInfo: { architecture: o.arch ?? 'arm64', operatingSystem: 'linux', kernelVersion: o.kernel ?? '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)' } as NonNullable<V1Node['status']>['nodeInfo'],
      conditions: [{ type: 'Ready', status: o.ready === false ? 'Unknown' : 'True' }],
    },
  };
}

function daemonSet(app: string, o: { platforms?: string | null; resource?: string | null; nodeSelector?: Record<string, string> } = {}): V1DaemonSet {
  return {
    metadata: {
      name: app,
      namespace: 'gpio',
      uid: `uid-${app}`,
      labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'gpio-fleet' },
      annotations: o.platforms === null ? {} : { 'gpio-fleet.io/platforms': o.platforms ?? 'linux/amd64,linux/arm64,linux/arm/v7' },
    },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      template: {
        spec: {
          nodeSelector: o.nodeSelector ?? { device: 'raspberry' },
          containers: [{ name: app, image: `ghcr.io/gpio-fleet/${app}:0.1.0`, resources: { limits: { memory: '128Mi', ...(o.resource === null ? {} : { [o.resource ?? GPIO]: '1' }) } } }],
        },
      },
    },
  };
}

function pod(app: string, node: string, o: { phase?: string; ready?: boolean; restarts?: number; last?: { reason: string; exitCode: number; finishedSecondsAgo: number }; pending?: string } = {}): V1Pod {
  return {
    metadata: { name: `${app}-${node}`, namespace: 'gpio', labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'gpio-fleet' }, ownerReferences: [{ kind: 'DaemonSet', uid: `uid-${app}`, name: app, apiVersion: 'apps/v1' }] },
    spec: {
      ...(o.phase === 'Pending' ? {} : { nodeName: node }),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
      containers: [{ name: app, image: `ghcr.io/gpio-fleet/${app}:0.1.0`, resources: { limits: { [GPIO]: '1' } } }],
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: o.ready === false || o.phase === 'Pending' ? 'False' : 'True' },
        ...(o.pending ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.pending }] : []),
      ],
      containerStatuses: [
        {
          name: app,
          image: '',
          imageID: '',
          ready: o.ready !== false,
          restartCount: o.restarts ?? 0,
          ...(o.last ? { lastState: { terminated: { reason: o.last.reason, exitCode: o.last.exitCode, finishedAt: new Date((NOW - o.last.finishedSecondsAgo) * 1000) } } } : {}),
        },
      ],
    },
  };
}

function input(node: V1Node, over: Partial<DoctorInput> = {}): DoctorInput {
  const name = node.metadata!.name!;
  const appPods = over.appPods ?? [pod('light-sensor', name)];
  return {
    node,
    labelKey: 'device',
    labelValue: 'raspberry',
    daemonSets: [daemonSet('light-sensor')],
    appPods,
    nodePods: appPods.filter((p) => p.spec?.nodeName === name),
    readings: new Map([[`gpio/light-sensor-${name}`, { lastReading: NOW - 2 }]]),
    now: NOW,
    maxReadingAge: 300,
    ...over,
  };
}

const problems = (findings: readonly Finding[]) => findings.filter((f) => f.status === 'problem').map((f) => `${f.check}: ${f.detail}`);
const problem = (findings: readonly Finding[], check: string) => findings.find((f) => f.check === check && f.status === 'problem');

describe('doctor on one node', () => {
  it('finds nothing wrong with a healthy, labelled Pi', () => {
    const r = diagnoseNode(input(pi('pi4-a')));
    expect(problems(r.findings)).toEqual([]);
    expect(r.findings.map((f) => `${f.check} ${f.status}`)).toEqual(['pi ok', 'label ok', 'ready ok', 'arch ok', 'gpio ok', 'pod ok', 'reading ok']);
    expect(r.findings.find((f) => f.check === 'gpio')?.detail).toBe('smarter-devices/gpiochip0: 10 advertised, 10 allocatable, 1 in use (smarter-device-manager)');
    expect(r.findings.find((f) => f.check === 'reading')?.detail).toBe('last good reading 2s ago');
  });

  it('a Pi without the label: the fix is gpio-fleet label', () => {
    const node = pi('pi4-b', { labels: {} });
    const r = diagnoseNode(input(node, { appPods: [] }));
    expect(problem(r.findings, 'label')).toMatchObject({ detail: expect.stringContaining('without the label device=raspberry'), fix: 'gpio-fleet label pi4-b' });
    // What would run there once it is labelled is still checked; its pod is not expected yet.
    expect(r.findings.filter((f) => f.check === 'arch' || f.check === 'gpio').map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(r.findings.find((f) => f.check === 'pod')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('nodeSelector device=raspberry does not match') });
    expect(r.problems).toBe(1);
  });

  it('a labelled node that is not a Pi', () => {
    const r = diagnoseNode(input(pi('arm-vm', { kernel: '6.1.0-26-cloud-arm64' })));
    expect(problem(r.findings, 'pi')).toMatchObject({ detail: expect.stringContaining('not detected as a Raspberry Pi'), fix: expect.stringContaining('gpio-fleet label arm-vm --remove') });
  });

  it("an architecture the image was not built for, and an ARMv6 Pi for an ARMv7 image", () => {
    const riscv = diagnoseNode(input(pi('pi-rv', { arch: 'riscv64' })));
    expect(problem(riscv.findings, 'arch')).toMatchObject({ detail: 'linux/riscv64: the image has no linux/riscv64 variant (it has linux/amd64, linux/arm64, linux/arm/v7)', fix: expect.stringContaining('image.platforms') });
    const zero = diagnoseNode(input(pi('pi-zero', { arch: 'arm', kernel: '6.6.31+rpt-rpi-v6' })));
    expect(problem(zero.findings, 'arch')?.detail).toBe('linux/arm/v6: an ARMv6 node (Pi 1 or Zero) cannot run linux/arm/v7');
    const only64 = diagnoseNode(input(pi('pi4-b', { arch: 'arm', kernel: '6.6.31+rpt-rpi-v7l' }), { daemonSets: [daemonSet('light-sensor', { platforms: 'linux/arm64' })] }));
    expect(problem(only64.findings, 'arch')?.detail).toBe('linux/arm/v7: the image has no linux/arm variant (it has linux/arm64)');
  });

  it('a chart that does not declare its platforms: the check is skipped, not failed', () => {
    const r = diagnoseNode(input(pi('pi4-a'), { daemonSets: [daemonSet('light-sensor', { platforms: null })] }));
    expect(r.findings.find((f) => f.check === 'arch')).toMatchObject({ status: 'skipped' });
    expect(r.problems).toBe(0);
  });

  it('no device plugin on the node: the GPIO resource is not advertised and the pod is Pending', () => {
    const node = pi('pi5-a', { gpio: null });
    const stuck = pod('light-sensor', 'pi5-a', { phase: 'Pending', pending: '0/6 nodes are available: 1 Insufficient smarter-devices/gpiochip0.' });
    const r = diagnoseNode(input(node, { appPods: [stuck], nodePods: [], readings: new Map() }));
    expect(problem(r.findings, 'gpio')).toMatchObject({ detail: expect.stringContaining('smarter-devices/gpiochip0 is not advertised by the node'), fix: expect.stringContaining('smarter-device-manager') });
    expect(problem(r.findings, 'pod')).toMatchObject({ detail: expect.stringContaining('is Pending: 0/6 nodes are available: 1 Insufficient'), fix: expect.stringContaining('gpio check') });
    expect(r.findings.find((f) => f.check === 'reading')).toMatchObject({ status: 'skipped', detail: 'the pod is not running' });
  });

  it('every device in use by another pod, and names that pod and the plugin', () => {
    const node = pi('pi4-a', { gpio: '1' });
    const holder: V1Pod = { metadata: { name: 'other-app', namespace: 'lab' }, spec: { nodeName: 'pi4-a', containers: [{ name: 'x', resources: { limits: { [GPIO]: '1' } } }] }, status: { phase: 'Running' } };
    const plugin: V1Pod = { metadata: { name: 'smarter-device-manager-7x2k', namespace: 'kube-system' }, spec: { nodeName: 'pi4-a', containers: [{ name: 'sdm', image: 'registry.gitlab.com/arm-research/smarter/smarter-device-manager:v1.20.11' }] }, status: { phase: 'Running' } };
    const stuck = pod('light-sensor', 'pi4-a', { phase: 'Pending', pending: '0/6 nodes are available: 1 Insufficient smarter-devices/gpiochip0.' });
    const r = diagnoseNode(input(node, { appPods: [stuck], nodePods: [holder, plugin], readings: new Map() }));
    expect(problem(r.findings, 'gpio')?.detail).toBe('smarter-devices/gpiochip0: 1 allocatable, 1 in use (smarter-device-manager, pod kube-system/smarter-device-manager-7x2k), all held by lab/other-app');
  });

  it('no device plugin needed outside devicePlugin mode', () => {
    const r = diagnoseNode(input(pi('pi4-a', { gpio: null }), { daemonSets: [daemonSet('light-sensor', { resource: null })] }));
    expect(r.findings.find((f) => f.check === 'gpio')).toMatchObject({ status: 'skipped' });
    expect(r.problems).toBe(0);
  });

  it('a pod that is not Ready after an exit, and one that restarted recently (OOMKilled)', () => {
    const crashing = pod('light-sensor', 'pi4-a', { ready: false, restarts: 4, last: { reason: 'Error', exitCode: 1, finishedSecondsAgo: 20 } });
    const r = diagnoseNode(input(pi('pi4-a'), { appPods: [crashing] }));
    expect(problem(r.findings, 'pod')).toMatchObject({
      detail: 'gpio/light-sensor-pi4-a is Running but not Ready, 4 restart(s); last stop: Error, exit code 1, 20s ago',
      fix: expect.stringContaining('kubectl logs -n gpio light-sensor-pi4-a --previous'),
    });
    const oom = pod('light-sensor', 'pi4-a', { restarts: 1, last: { reason: 'OOMKilled', exitCode: 137, finishedSecondsAgo: 600 } });
    expect(problem(diagnoseNode(input(pi('pi4-a'), { appPods: [oom] })).findings, 'pod')).toMatchObject({ fix: expect.stringContaining('resources.limits.memory') });
    // A restart long ago is history, not a problem.
    const old = pod('light-sensor', 'pi4-a', { restarts: 1, last: { reason: 'Error', exitCode: 1, finishedSecondsAgo: 86_400 } });
    expect(problem(diagnoseNode(input(pi('pi4-a'), { appPods: [old] })).findings, 'pod')).toBeUndefined();
  });

  it('no pod although the DaemonSet selects the node', () => {
    expect(problem(diagnoseNode(input(pi('pi4-a'), { appPods: [] })).findings, 'pod')).toMatchObject({ fix: expect.stringContaining('kubectl describe daemonset -n gpio light-sensor') });
  });

  it('a node that is NotReady', () => {
    expect(problem(diagnoseNode(input(pi('pi4-a', { ready: false }))).findings, 'ready')).toMatchObject({ fix: expect.stringContaining('kubelet') });
  });

  it('readings: none since start, too old, and a pod the proxy cannot read', () => {
    const at = (probe: { lastReading?: number; error?: string }) => problem(diagnoseNode(input(pi('pi4-a'), { readings: new Map([['gpio/light-sensor-pi4-a', probe]]) })).findings, 'reading');
    expect(at({ lastReading: 0 })?.detail).toBe('no good reading since the pod started');
    expect(at({ lastReading: NOW - 900 })?.detail).toBe('last good reading 15m ago (more than 5m)');
    expect(at({ error: 'cannot read metrics of pod gpio/light-sensor-pi4-a through the pod proxy: no answer within 2 s' })).toMatchObject({ fix: expect.stringContaining('pods/proxy') });
    expect(at({ lastReading: NOW - 10 })).toBeUndefined();
  });

  it('a node that is neither a Pi nor labelled is not part of the fleet: nothing to check', () => {
    const vm = pi('cp-0', { arch: 'amd64', kernel: '6.1.0-26-amd64', labels: {} });
    const r = diagnoseNode(input(vm, { appPods: [] }));
    expect(r.problems).toBe(0);
    expect(r.findings.map((f) => f.check)).toEqual(['pi', 'label', 'ready']);
    expect(fleetNodes([vm, pi('pi4-a'), pi('pi4-b', { labels: {} })], 'device').map((n) => n.metadata?.name)).toEqual(['pi4-a', 'pi4-b']);
  });

  it('renders a summary table and one fix line per problem', () => {
    const text = renderDoctor([diagnoseNode(input(pi('pi4-a'))), diagnoseNode(input(pi('pi4-b', { labels: {} }), { appPods: [] }))], false);
    expect(text.split('\n')[0]).toMatch(/^NODE\s+PI\s+LABEL\s+READY\s+ARCH\s+GPIO\s+POD\s+READING$/);
    expect(text).toMatch(/^pi4-a\s+ok\s+ok\s+ok\s+ok\s+ok\s+ok\s+ok$/m);
    expect(text).toMatch(/^pi4-b\s+ok\s+problem\s+ok\s+ok\s+ok\s+-\s+-$/m);
    expect(text).toContain('1 problem(s):\npi4-b label: a Raspberry Pi without the label device=raspberry: the gpio-fleet apps do not run here\n  fix: gpio-fleet label pi4-b\n');
  });
});

describe('the parts doctor is built from', () => {
  it('platforms: parsed from the annotation, matched with the ARM variant from the kernel', () => {
    const all = parsePlatforms('linux/amd64, linux/arm64,linux/arm/v7,bogus');
    expect(all).toEqual([{ os: 'linux', arch: 'amd64' }, { os: 'linux', arch: 'arm64' }, { os: 'linux', arch: 'arm', variant: 'v7' }]);
    expect(nodePlatform(pi('a', { arch: 'arm', kernel: '6.6.31+rpt-rpi-v7l' }))).toEqual({ os: 'linux', arch: 'arm', variant: 'v7' });
    expect(nodePlatform(pi('a', { arch: 'arm', kernel: '5.10.103-v7+' }))).toEqual({ os: 'linux', arch: 'arm', variant: 'v7' });
    expect(nodePlatform(pi('a', { arch: 'arm', kernel: '5.15.0-1034-raspi' }))).toEqual({ os: 'linux', arch: 'arm', variant: undefined });
    expect(matchPlatform(all, { os: 'linux', arch: 'arm' })).toEqual({ ok: true, detail: "image platform linux/arm/v7 (the node's ARM variant is unknown; v7 assumed)" });
    expect(matchPlatform(parsePlatforms('linux/arm/v6'), { os: 'linux', arch: 'arm', variant: 'v7' }).ok).toBe(true);
  });

  it('the GPIO resource: found in the pod template, counted on the node, its plugin named', () => {
    expect(requestedDevices(daemonSet('light-sensor'))).toEqual([GPIO]);
    expect(requestedDevices(daemonSet('light-sensor', { resource: 'squat.ai/gpio' }))).toEqual(['squat.ai/gpio']);
    expect(requestedDevices(daemonSet('light-sensor', { resource: null }))).toEqual([]);
    const done: V1Pod = { metadata: { name: 'job', namespace: 'x' }, spec: { nodeName: 'pi4-a', containers: [{ name: 'c', resources: { limits: { [GPIO]: '1' } } }] }, status: { phase: 'Succeeded' } };
    expect(deviceUse(GPIO, pi('pi4-a'), [pod('light-sensor', 'pi4-a'), pod('traffic-light', 'pi4-a'), done])).toEqual({ resource: GPIO, capacity: 10, allocatable: 10, inUse: 2, holders: ['gpio/light-sensor-pi4-a', 'gpio/traffic-light-pi4-a'] });
    expect(devicePlugin('squat.ai/gpio', []).name).toBe('squat/generic-device-plugin');
    expect(devicePlugin('gpio-fleet.io/gpiochip', []).name).toBe("gpio-fleet's device plugin");
    expect(devicePlugin('example.com/gpio', []).name).toBe('the device plugin that advertises example.com/gpio');
  });

  it('which nodes a DaemonSet selects: nodeSelector, required node affinity, taints', () => {
    const ds = daemonSet('light-sensor');
    expect(daemonSetTargets(ds, pi('a')).targets).toBe(true);
    expect(daemonSetTargets(ds, pi('a', { labels: {} })).reason).toBe('its nodeSelector device=raspberry does not match the node');
    expect(daemonSetTargets(ds, pi('a', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })).reason).toContain('node-role.kubernetes.io/control-plane:NoSchedule is not tolerated');
    // The controller tolerates a node that is not ready (or unreachable) for its pods.
    expect(daemonSetTargets(ds, pi('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] })).targets).toBe(true);
    const armOnly = daemonSet('light-sensor');
    armOnly.spec!.template.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm'] }] }] } } };
    expect(daemonSetTargets(armOnly, pi('a')).reason).toBe('its required node affinity does not match the node');
    expect(daemonSetTargets(armOnly, pi('b', { arch: 'arm' })).targets).toBe(true);
  });
});
