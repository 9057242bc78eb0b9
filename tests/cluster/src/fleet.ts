// The fake fleet: node objects shaped like what real kubelets report, for kwok to run.
// Raspberry Pi OS reports its kernel as <version>+rpt-rpi-<flavour> (v8 = 64-bit Pi 3/4,
// v7l = 32-bit Pi 4, 2712 = Pi 5) and its osImage as "Debian GNU/Linux 12 (bookworm)" on the
// 64-bit image and "Raspbian GNU/Linux 12 (bookworm)" on the 32-bit one.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Node } from '@kubernetes/client-node';

export const GPIO_RESOURCE = 'smarter-devices/gpiochip0';
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
}

export const FLEET: readonly FakeNode[] = [
  { name: 'cp-0', arch: 'amd64', kernelVersion: '6.1.0-26-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: false, controlPlane: true, cpu: '4', memory: '8Gi' },
  { name: 'pi4-a', arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '4Gi' },
  { name: 'pi4-b', arch: 'arm', kernelVersion: '6.6.31+rpt-rpi-v7l', osImage: 'Raspbian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '2Gi' },
  { name: 'pi5-a', arch: 'arm64', kernelVersion: '6.6.31+rpt-rpi-2712', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: true, cpu: '4', memory: '8Gi' },
  // An arm64 machine that is not a Pi (a cloud VM): same arch, no GPIO header.
  { name: 'arm-vm', arch: 'arm64', kernelVersion: '6.1.0-26-cloud-arm64', osImage: 'Debian GNU/Linux 12 (bookworm)', pi: false, cpu: '2', memory: '4Gi' },
];

/** The Node object a kubelet on `n` would register, plus the kwok annotation. */
export function nodeObject(n: FakeNode, index = 0): V1Node {
  const capacity: Record<string, string> = { cpu: n.cpu ?? '4', memory: n.memory ?? '4Gi', pods: '110', 'ephemeral-storage': '30Gi' };
  // smarter-device-manager advertises each device with a count (nummaxdevices), so several
  // apps can hold the chip at once.
  if (n.pi) capacity[GPIO_RESOURCE] = '10';
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
        { type: 'InternalIP', address: `10.0.0.${10 + index}` },
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

/** Registers `nodes` (creating them with their status, as a kubelet does) and waits until each is Ready. */
export async function registerNodes(kubeconfig: string, nodes: readonly FakeNode[], timeoutMs = 30_000): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await Promise.all(
    nodes.map(async (n, i) => {
      const obj = nodeObject(n, FLEET.includes(n) ? FLEET.indexOf(n) : 50 + i);
      await core.createNode({ body: obj });
      // The API server drops status on create; a kubelet then reports it through the status subresource.
      await core.patchNodeStatus({ name: n.name, body: { status: obj.status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (const n of nodes) {
    for (;;) {
      const node = await core.readNode({ name: n.name });
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`fake node ${n.name} not Ready after ${timeoutMs / 1000} s: is kwok running?`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function deleteNodes(kubeconfig: string, names: readonly string[]): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await Promise.all(names.map((name) => core.deleteNode({ name }).catch(() => undefined)));
}
