// The fake fleet: node objects shaped like what real kubelets report, for kwok to run.
// Raspberry Pi OS reports its kernel as <version>+rpt-rpi-<flavour> (v8 = 64-bit Pi 3/4,
// v7l = 32-bit Pi 4, 2712 = Pi 5) and its osImage as "Debian GNU/Linux 12 (bookworm)" on the
// 64-bit image and "Raspbian GNU/Linux 12 (bookworm)" on the 32-bit one.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Node } from '@kubernetes/client-node';

/** What the app charts request by default, and gpio-fleet's device plugin advertises. */
export const GPIO_RESOURCE = 'gpio-fleet.io/gpiochip';
/** Annotation kwok's --manage-nodes-with-annotation-selector matches. */
export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';

export interface FakeNode {
  name: string;
  arch: 'amd64' | 'arm64' | 'arm';
  kernelVersion: string;
  osImage: string;
  /** A Raspberry Pi (what `gpio-fleet label --auto` should pick). */
  pi: boolean;
  controlPlane?: boolean;
  /** Pods on this node get IPs from here (kwok allocates from node.spec.podCIDR). */
  podCIDR?: string;
  cpu?: string;
  memory?: string;
  /** How many of GPIO_RESOURCE the node advertises: default 10 on a Pi, none elsewhere; 0 for none. */
  gpio?: number;
}

export const FLEET: readonly FakeNode[] = [
  { name: 'cp-0', arch: 'amd64', kernelVersion: '6.1.0-26-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: false, controlPlane: true, cpu: '4', memory: '8Gi' },
  { name: 'pi4-a', arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '4Gi' },
  { name: 'pi4-b', arch: 'arm', kernelVersion: '6.6.31+rpt-rpi-v7l', osImage: 'Raspbian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '2Gi' },
  { name: 'pi5-a', arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-2712', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '8Gi' },
  // An arm64 machine that is not a Pi (a cloud VM): same arch, no GPIO header.
  { name: 'arm-vm', arch: 'arm64', kernelVersion: '6.1.0-26-cloud-arm64', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: false, cpu: '2', memory: '4Gi' },
];

/**
 * `count` fake Raspberry Pis for a fleet larger than FLEET (the bench registers 1000): 64-bit
 * and 32-bit Raspberry Pi OS in turn, named <prefix>-0000 onwards.
 */
export function fakePis(count: number, prefix = 'pi-fleet'): FakeNode[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i).padStart(4, '0')}`,
    arch: i % 2 === 0 ? 'arm64' : 'arm',
    kernelVersion: i % 2 === 0 ? '6.6.31+rpt-rpi-v8' : '6.6.31+rpt-rpi-v7l',
    osImage: i % 2 === 0 ? 'Debian GNU/Linux 12 (bookworm)' : 'Raspbian GNU/Linux 12 (bookworm)',
    pi: true,
  }));
}

/** The node's InternalIP, from its index: 10.0.0.10 onwards, 250 to a /24, so a thousand nodes each get their own. */
export function nodeAddress(index: number): string {
  const n = 10 + index;
  const lo = n % 250;
  return `10.0.${Math.floor(n / 250)}.${lo === 0 ? 250 : lo}`;
}

/** The Node object a kubelet on `n` would register, plus the kwok annotation. */
export function nodeObject(n: FakeNode, index = 0): V1Node {
  const capacity: Record<string, string> = { cpu: n.cpu ?? '4', memory: n.memory ?? '4Gi', pods: '110', 'ephemeral-storage': '30Gi' };
  // The device plugin advertises the chip as several devices (its count), so several apps can
  // hold it at once.
  const gpio = n.gpio ?? (n.pi ? 10 : 0);
  if (gpio > 0) capacity[GPIO_RESOURCE] = String(gpio);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      annotations: { [KWOK_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': n.arch,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': n.name,
        'beta.kubernetes.io/arch': n.arch,
        'beta.kubernetes.io/os': 'linux',
        ...(n.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: {
      ...(n.podCIDR ? { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] } : {}),
      ...(n.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity,
      allocatable: { ...capacity },
      addresses: [
        { type: 'InternalIP', address: nodeAddress(index) },
        { type: 'Hostname', address: n.name },
      ],
      nodeInfo: {
        architecture: n.arch,
        operatingSystem: 'linux',
        kernelVersion: n.kernelVersion,
        osImage: n.osImage,
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.37.2',
        kubeProxyVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/** How many nodes are registered at once: enough to fill the API server, not to flood it. */
const REGISTER_CONCURRENCY = 16;

/**
 * Registers `nodes` (creating them with their status, as a kubelet does) and waits until each
 * is Ready. A thousand nodes go in REGISTER_CONCURRENCY at a time; readiness is then watched
 * with one paged list a poll rather than one read per node.
 */
export async function registerNodes(kubeconfig: string, nodes: readonly FakeNode[], timeoutMs = 30_000): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nodes.length) {
      const i = next++;
      const n = nodes[i]!;
      const obj = nodeObject(n, FLEET.includes(n) ? FLEET.indexOf(n) : 50 + i);
      await core.createNode({ body: obj });
      // The API server drops status on create; a kubelet then reports it through the status subresource.
      await core.patchNodeStatus({ name: n.name, body: { status: obj.status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    }
  };
  await Promise.all(Array.from({ length: Math.min(REGISTER_CONCURRENCY, nodes.length) }, worker));
  const deadline = Date.now() + timeoutMs;
  const waiting = new Set(nodes.map((n) => n.name));
  for (;;) {
    let token: string | undefined;
    do {
      const page = await core.listNode({ limit: 500, ...(token ? { _continue: token } : {}) });
      for (const node of page.items) if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True') waiting.delete(node.metadata?.name ?? '');
      token = page.metadata?._continue || undefined;
    } while (token);
    if (waiting.size === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting.size} fake node(s) not Ready after ${timeoutMs / 1000} s (${[...waiting].slice(0, 5).join(', ')}...): is kwok running?`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function deleteNodes(kubeconfig: string, names: readonly string[]): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await Promise.all(names.map((name) => core.deleteNode({ name }).catch(() => undefined)));
}
