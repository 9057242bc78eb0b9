// 1. Install, label, run: `helm install light-sensor charts/light-sensor --set gpio.access=none`
// with the image from the node's registry, then `gpio-fleet label real-0`. A real kubelet pulls
// the image and runs it under Pod Security "restricted"; the runtime's own view of the
// container shows what the chart's security context asked for.
import { readFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appPods, core, freshNamespace, imageRepository, installApp, labelNode, NODE, readyPod, runtimeView, unlabelNode, type Namespace } from './support/cluster.js';

let ns: Namespace;
let pod: V1Pod;

beforeAll(async () => {
  await unlabelNode();
  ns = await freshNamespace('install');
});

afterAll(async () => {
  await unlabelNode();
  await ns?.remove();
});

describe('1. install, label, run', () => {
  it('the namespace enforces Pod Security restricted: a privileged pod is refused', async () => {
    const labels = (await core().readNamespace({ name: ns.name })).metadata?.labels;
    expect(labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const privileged = { metadata: { name: 'privileged' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: imageRepository('light-sensor'), securityContext: { privileged: true } }] } };
    const refusal = await core()
      .createNamespacedPod({ namespace: ns.name, body: privileged, dryRun: 'All' })
      .then(() => 'admitted')
      .catch((e: unknown) => (JSON.parse(String((e as { body?: unknown }).body)) as { message: string }).message);
    expect(refusal).toMatch(/violates PodSecurity "restricted:latest": privileged/);
  });

  it('helm install from the node registry, gpio-fleet label real-0: the pod on real-0 runs and is Ready', async () => {
    await installApp(ns.name, 'light-sensor');
    // Nothing runs before the label: real-0 is not a Pi until someone says so.
    expect(await appPods(ns.name, 'light-sensor')).toEqual([]);
    await labelNode();
    pod = await readyPod(ns.name, 'light-sensor');
    expect(pod.spec?.nodeName).toBe(NODE);
    expect(pod.status?.phase).toBe('Running');
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.image).toBe(`${imageRepository('light-sensor')}:${inject('imageTags')['light-sensor']}`);
    // Pulled from the registry: the image ID is the digest the registry served.
    expect(status?.imageID).toMatch(new RegExp(`^${imageRepository('light-sensor')}@sha256:[0-9a-f]{64}$`));
  });

  it('the runtime runs it as uid 65534, read-only root, no capabilities, seccomp RuntimeDefault', () => {
    const { spec, pid } = runtimeView(pod);
    // The OCI spec containerd handed runc.
    expect(spec.process?.user).toMatchObject({ uid: 65534, gid: 65534 });
    expect(spec.root?.readonly).toBe(true);
    expect(spec.process?.noNewPrivileges).toBe(true);
    for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'] as const) expect(spec.process?.capabilities?.[set] ?? [], set).toEqual([]);
    // RuntimeDefault is containerd's default profile: deny by default, an allow list of the
    // ordinary syscalls, and none of the ones that need a capability the container lacks.
    const seccomp = spec.linux?.seccomp as { defaultAction?: string; syscalls?: { names: string[]; action: string }[] } | undefined;
    expect(seccomp?.defaultAction).toBe('SCMP_ACT_ERRNO');
    const allowed = new Set((seccomp?.syscalls ?? []).filter((s) => s.action === 'SCMP_ACT_ALLOW').flatMap((s) => s.names));
    expect(allowed.has('read') && allowed.has('epoll_wait')).toBe(true);
    for (const privileged of ['reboot', 'kexec_load', 'mount', 'bpf']) expect(allowed.has(privileged), privileged).toBe(false);

    // The process itself, as the kernel sees it.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
    expect(field('Uid')?.split(/\s+/)).toEqual(['65534', '65534', '65534', '65534']);
    expect(field('Gid')?.split(/\s+/)).toEqual(['65534', '65534', '65534', '65534']);
    for (const caps of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(field(caps), caps).toMatch(/^0+$/);
    expect(field('NoNewPrivs')).toBe('1');
    expect(field('Seccomp')).toBe('2'); // SECCOMP_MODE_FILTER
    const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').find((l) => l.split(' ')[4] === '/');
    expect(root?.split(' ')[5]?.split(',')).toContain('ro');
  });
});
