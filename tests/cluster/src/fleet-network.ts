// Pod IPs that answer, for a whole fake fleet at once. kwok gives each pod an address from its
// node's podCIDR but runs nothing there, so the API server's pod proxy (what `gpio-fleet
// readings` and `doctor` use) has nothing to talk to. Here a network namespace of our own takes
// a whole range, 10.<second>.0.0/16, as local addresses ("ip route add local ... dev lo"): the
// host routes the range into the namespace over a veth pair, and a process inside it that
// listens on 0.0.0.0 answers for every pod IP, or one that binds a single pod IP answers for
// that pod only. Each node gets a /30 of the range, and kwok hands its pod the first address.
// Needs root and iproute2; the host's own routes gain only the one for the range.
import type { ChildProcess } from 'node:child_process';
import { createVethNamespace, ipCommand } from '@gpio-fleet/test-tools';

export interface FleetPodNetwork {
  name: string;
  /** The range routed into the namespace. */
  range: string;
  /** The podCIDR to give the i-th node. */
  podCIDR(i: number): string;
  /** The address kwok gives the pod of the i-th node. */
  podIP(i: number): string;
  /** Run a command inside the namespace. */
  spawn(command: string, args: readonly string[]): ChildProcess;
  remove(): void;
}

/** 10.<second>.0.0/16 for the pods; 10.249.<link>.0/30 joins the namespace to the host. */
export function createFleetPodNetwork(id: string, second: number, link: number): FleetPodNetwork {
  const range = `10.${second}.0.0/16`;
  const linkNet = `10.249.${link}`;
  const ns = createVethNamespace(id, linkNet, {
    routes: [range],
    setup: ({ name, hostLink }) => {
      ipCommand('netns', 'exec', name, 'ip', 'route', 'add', 'local', range, 'dev', 'lo');
      ipCommand('route', 'add', range, 'via', `${linkNet}.1`, 'dev', hostLink);
    },
  });
  const address = (n: number) => `10.${second}.${Math.floor(n / 256)}.${n % 256}`;
  return {
    name: ns.name,
    range,
    podCIDR: (i) => `${address(i * 4)}/30`,
    podIP: (i) => address(i * 4 + 1),
    spawn: ns.spawn,
    remove: ns.remove,
  };
}
