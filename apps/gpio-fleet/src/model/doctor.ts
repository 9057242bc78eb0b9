// `gpio-fleet doctor`: what is wrong with a node of the fleet, each problem with one line that
// says how to fix it. Pure: built from the API objects the command fetched and from the
// metrics it read through the pod proxy.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { daemonSetTargets } from './daemonset-target.js';
import { devicePlugin, deviceUse, requestedDevices } from './gpio-resource.js';
import { nodeReady } from './node-summary.js';
import { detectPi } from './pi-detect.js';
import { declaredPlatforms, formatPlatform, matchPlatform, nodePlatform } from './platforms.js';
import { notRunningReason, ownedBy, targetNode } from './rollout.js';

export const CHECKS = ['pi', 'label', 'ready', 'arch', 'gpio', 'pod', 'reading'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Finding {
  check: CheckName;
  /** The app a finding is about (arch, gpio, pod, reading), e.g. "light-sensor". */
  app?: string | undefined;
  status: 'ok' | 'problem' | 'skipped';
  detail: string;
  /** For a problem: one line that says what to do. */
  fix?: string | undefined;
}

export interface NodeReport {
  node: string;
  findings: Finding[];
  problems: number;
}

/** What reading the light sensor's /metrics through the pod proxy gave. */
export interface ReadingProbe {
  /** Unix seconds of the last good reading; 0 when there has been none since the pod started. */
  lastReading?: number | undefined;
  error?: string | undefined;
}

export interface DoctorInput {
  node: V1Node;
  labelKey: string;
  labelValue: string;
  /** The gpio-fleet DaemonSets (labelled app.kubernetes.io/part-of=gpio-fleet). */
  daemonSets: readonly V1DaemonSet[];
  /** The gpio-fleet pods (any node: a pod not yet scheduled has no node of its own). */
  appPods: readonly V1Pod[];
  /** Every pod bound to this node, of any app (for the devices in use and the plugin). */
  nodePods: readonly V1Pod[];
  /** Light-sensor pods' readings, by "namespace/name". */
  readings: ReadonlyMap<string, ReadingProbe>;
  /** Unix seconds. */
  now: number;
  /** Seconds after which the last good reading is too old. */
  maxReadingAge: number;
}

/** Restarts count as a problem while the last one is this recent (seconds). */
export const RECENT_RESTART = 3600;

const appName = (ds: V1DaemonSet): string => ds.metadata?.labels?.['app.kubernetes.io/name'] ?? ds.metadata?.name ?? '?';
const dsRef = (ds: V1DaemonSet): string => `${ds.metadata?.namespace}/${ds.metadata?.name}`;
const podRef = (p: V1Pod): string => `${p.metadata?.namespace}/${p.metadata?.name}`;

export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

function nodeFindings(input: DoctorInput): { findings: Finding[]; fleet: boolean } {
  const { node, labelKey, labelValue } = input;
  const name = node.metadata?.name ?? '?';
  const info = node.status?.nodeInfo;
  const pi = detectPi(info);
  const label = node.metadata?.labels?.[labelKey];
  const wanted = `${labelKey}=${labelValue}`;
  const findings: Finding[] = [];
  if (pi.pi) findings.push({ check: 'pi', status: 'ok', detail: `Raspberry Pi (${pi.reason}: ${info?.kernelVersion ?? '?'})` });
  else if (label !== undefined)
    findings.push({
      check: 'pi',
      status: 'problem',
      detail: `not detected as a Raspberry Pi (kernel ${info?.kernelVersion || '?'}, OS ${info?.osImage || '?'}) but labelled ${labelKey}=${label}`,
      fix: `if it has no GPIO header: gpio-fleet label ${name} --remove; if it is a Pi, its kernel is one the Pi rule does not know (gpio-fleet nodes --help)`,
    });
  else findings.push({ check: 'pi', status: 'ok', detail: 'not a Raspberry Pi, not labelled: not part of the fleet' });

  if (label === labelValue) findings.push({ check: 'label', status: 'ok', detail: `labelled ${wanted}` });
  else if (pi.pi)
    findings.push({
      check: 'label',
      status: 'problem',
      detail: label === undefined ? `a Raspberry Pi without the label ${wanted}: the gpio-fleet apps do not run here` : `labelled ${labelKey}=${label}, not ${wanted}: the gpio-fleet apps do not run here`,
      fix: `gpio-fleet label ${name}${labelKey === 'device' ? '' : ` --key ${labelKey}`}${labelValue === 'raspberry' ? '' : ` --value ${labelValue}`}`,
    });
  else if (label !== undefined) findings.push({ check: 'label', status: 'ok', detail: `labelled ${labelKey}=${label}` });
  else findings.push({ check: 'label', status: 'skipped', detail: 'not a Pi' });
  if (nodeReady(node)) findings.push({ check: 'ready', status: 'ok', detail: 'node Ready' });
  else findings.push({ check: 'ready', status: 'problem', detail: 'the node is NotReady: its kubelet does not report', fix: `on the Pi: power, network, and the kubelet (journalctl -u kubelet, or k3s-agent); kubectl describe node ${name}` });
  return { findings, fleet: pi.pi || label !== undefined };
}

function archFinding(ds: V1DaemonSet, node: V1Node): Finding {
  const app = appName(ds);
  const platforms = declaredPlatforms(ds);
  if (platforms === undefined) return { check: 'arch', app, status: 'skipped', detail: `${dsRef(ds)} does not declare its image's platforms (annotation gpio-fleet.io/platforms)` };
  const np = nodePlatform(node);
  const m = matchPlatform(platforms, np);
  if (m.ok) return { check: 'arch', app, status: 'ok', detail: `${formatPlatform(np)}: ${m.detail}` };
  return {
    check: 'arch',
    app,
    status: 'problem',
    detail: `${formatPlatform(np)}: ${m.detail}`,
    fix: `use an image built for ${formatPlatform(np)} (helm upgrade with image.repository/image.tag, and list it in image.platforms), or keep ${app} off this node`,
  };
}

function gpioFinding(ds: V1DaemonSet, input: DoctorInput, ownPod: V1Pod | undefined): Finding[] {
  const app = appName(ds);
  const resources = requestedDevices(ds);
  if (resources.length === 0) return [{ check: 'gpio', app, status: 'skipped', detail: 'the pods request no device-plugin resource (gpio.access privileged or none)' }];
  return resources.map((resource): Finding => {
    const use = deviceUse(resource, input.node, input.nodePods);
    const plugin = devicePlugin(resource, input.nodePods);
    const by = plugin.pod ? `${plugin.name}, pod ${plugin.pod}` : plugin.name;
    const pending = ownPod !== undefined && ownPod.status?.phase === 'Pending';
    if (!use.capacity) {
      return {
        check: 'gpio',
        app,
        status: 'problem',
        detail: `${resource} is not advertised by the node: ${plugin.name} is not running here, or does not expose the GPIO chip`,
        fix: `run ${plugin.name} on this node with /dev/gpiochip0 in its configuration (see the chart README, "GPIO access"), or set gpio.devicePlugin.resource to what your plugin advertises`,
      };
    }
    if (!use.allocatable) {
      return { check: 'gpio', app, status: 'problem', detail: `${resource}: ${use.capacity} advertised but none allocatable (${by})`, fix: `restart ${plugin.name} on this node and check its log; kubectl describe node ${input.node.metadata?.name}` };
    }
    const counts = `${use.allocatable} allocatable, ${use.inUse} in use (${by})`;
    if (pending && use.inUse >= use.allocatable) {
      return {
        check: 'gpio',
        app,
        status: 'problem',
        detail: `${resource}: ${counts}, all held by ${use.holders.join(', ')}`,
        fix: `raise the device count in ${plugin.name}'s configuration (nummaxdevices, count) so every app can hold the chip, or stop the pod holding it`,
      };
    }
    return { check: 'gpio', app, status: 'ok', detail: `${resource}: ${use.capacity} advertised, ${counts}` };
  });
}

function lastTermination(pod: V1Pod): { reason: string; exitCode: number | undefined; finishedAt: Date | undefined } | undefined {
  const t = (pod.status?.containerStatuses ?? []).map((c) => c.lastState?.terminated).find((x) => x !== undefined);
  if (!t) return undefined;
  return { reason: t.reason || 'Error', exitCode: t.exitCode, finishedAt: t.finishedAt ? new Date(t.finishedAt) : undefined };
}

function podFinding(ds: V1DaemonSet, pod: V1Pod | undefined, input: DoctorInput): Finding {
  const app = appName(ds);
  if (!pod) {
    return { check: 'pod', app, status: 'problem', detail: `no ${app} pod on this node although ${dsRef(ds)} selects it`, fix: `kubectl describe daemonset -n ${ds.metadata?.namespace} ${ds.metadata?.name} (its events say why the controller made none)` };
  }
  const ref = podRef(pod);
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const last = lastTermination(pod);
  const lastText = last ? `; last stop: ${last.reason}${last.exitCode !== undefined ? `, exit code ${last.exitCode}` : ''}${last.finishedAt ? `, ${formatAge(input.now - last.finishedAt.getTime() / 1000)} ago` : ''}` : '';
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const phase = pod.status?.phase ?? 'Unknown';
  const reason = notRunningReason(pod);
  const logs = `kubectl logs -n ${pod.metadata?.namespace} ${pod.metadata?.name}${restarts > 0 ? ' --previous' : ''}`;
  if (phase === 'Pending') {
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const why = scheduled?.message ?? reason;
    return {
      check: 'pod',
      app,
      status: 'problem',
      detail: `${ref} is Pending${why ? `: ${why}` : ''}`,
      fix: why.includes('Insufficient') ? 'the node lacks what the pod requests: see the gpio check of this node' : `kubectl describe pod -n ${pod.metadata?.namespace} ${pod.metadata?.name}`,
    };
  }
  if (!ready) {
    const oom = last?.reason === 'OOMKilled';
    return {
      check: 'pod',
      app,
      status: 'problem',
      detail: `${ref} is ${phase} but not Ready${reason ? ` (${reason})` : ''}, ${restarts} restart(s)${lastText}`,
      fix: oom ? 'raise resources.limits.memory (helm upgrade --set resources.limits.memory=...)' : `${logs}: a version that cannot drive the GPIO exits 1 and never becomes ready (chart README, "Readiness")`,
    };
  }
  const recent = last?.finishedAt !== undefined && input.now - last.finishedAt.getTime() / 1000 < RECENT_RESTART;
  if (restarts > 0 && recent) {
    return {
      check: 'pod',
      app,
      status: 'problem',
      detail: `${ref} is Ready, but restarted ${restarts} time(s)${lastText}`,
      fix: last?.reason === 'OOMKilled' ? 'raise resources.limits.memory (helm upgrade --set resources.limits.memory=...)' : `${logs} shows why it stopped`,
    };
  }
  return { check: 'pod', app, status: 'ok', detail: `${ref} Ready, ${restarts} restart(s)${lastText}` };
}

function readingFinding(pod: V1Pod | undefined, input: DoctorInput): Finding | undefined {
  if (!pod || pod.metadata?.labels?.['app.kubernetes.io/name'] !== 'light-sensor') return undefined;
  const app = 'light-sensor';
  if (pod.status?.phase !== 'Running') return { check: 'reading', app, status: 'skipped', detail: 'the pod is not running' };
  const probe = input.readings.get(podRef(pod));
  if (!probe) return { check: 'reading', app, status: 'skipped', detail: 'not read' };
  if (probe.error !== undefined) {
    return {
      check: 'reading',
      app,
      status: 'problem',
      detail: probe.error,
      fix: 'check that your RBAC allows get on pods/proxy (deploy/rbac), and with networkPolicy.enabled that networkPolicy.extraFrom admits the API server',
    };
  }
  const fix = 'check the sensor on the Pi: the wiring and the "reading failed" lines of the pod\'s log (chart README, "LightSensorNoReadings")';
  if (!probe.lastReading) return { check: 'reading', app, status: 'problem', detail: 'no good reading since the pod started', fix };
  const age = input.now - probe.lastReading;
  if (age > input.maxReadingAge) return { check: 'reading', app, status: 'problem', detail: `last good reading ${formatAge(age)} ago (more than ${formatAge(input.maxReadingAge)})`, fix };
  return { check: 'reading', app, status: 'ok', detail: `last good reading ${formatAge(age)} ago` };
}

/** Every check of one node. */
export function diagnoseNode(input: DoctorInput): NodeReport {
  const name = input.node.metadata?.name ?? '?';
  const { findings, fleet } = nodeFindings(input);
  if (fleet) {
    const targeting = input.daemonSets.filter((ds) => daemonSetTargets(ds, input.node).targets);
    // An unlabelled Pi: check what would run once it is labelled.
    const apps = targeting.length > 0 ? targeting : input.daemonSets;
    if (input.daemonSets.length === 0) findings.push({ check: 'pod', status: 'skipped', detail: 'no gpio-fleet app is installed (no DaemonSet labelled app.kubernetes.io/part-of=gpio-fleet)' });
    for (const ds of apps) {
      const own = input.appPods.find((p) => ownedBy(p, ds) && targetNode(p) === name && !p.metadata?.deletionTimestamp);
      findings.push(archFinding(ds, input.node));
      findings.push(...gpioFinding(ds, input, own));
      if (targeting.includes(ds)) {
        findings.push(podFinding(ds, own, input));
        const reading = readingFinding(own, input);
        if (reading) findings.push(reading);
      }
    }
    if (targeting.length === 0 && input.daemonSets.length > 0) {
      for (const ds of input.daemonSets) findings.push({ check: 'pod', app: appName(ds), status: 'skipped', detail: `${dsRef(ds)} does not select this node: ${daemonSetTargets(ds, input.node).reason}` });
    }
  }
  return { node: name, findings, problems: findings.filter((f) => f.status === 'problem').length };
}

/** The nodes `doctor` looks at without names: every Pi and every node with the label. */
export function fleetNodes(nodes: readonly V1Node[], labelKey: string): V1Node[] {
  return nodes.filter((n) => detectPi(n.status?.nodeInfo).pi || n.metadata?.labels?.[labelKey] !== undefined);
}
