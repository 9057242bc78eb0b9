// Pod IPs that answer, for a whole fake fleet at once. kwok gives each pod an address from its
// node's podCIDR but runs nothing there, so the API server's pod proxy (what `gpio-fleet
// readings` and `doctor` use) has nothing to talk to. Here a network namespace of our own takes
// a whole range, 10.<second>.0.0/16, as local addresses ("ip route add local ... dev lo"): the
// host routes the range into the namespace over a veth pair, and a process inside it that
// listens on 0.0.0.0 answers for every pod IP, or one that binds a single pod IP answers for
// that pod only. Each node gets a /30 of the range, and kwok hands its pod the first address.
// Needs root and iproute2; the host's own routes gain only the one for the range.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ensureCommand } from '@gpio-fleet/test-tools/provision';

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

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** 10.<second>.0.0/16 for the pods; 10.249.<link>.0/30 joins the namespace to the host. */
export function createFleetPodNetwork(id: string, second: number, link: number): FleetPodNetwork {
  ensureCommand('ip', 'iproute2');
  const name = `gf-${id}`;
  const host = `gfh${id}`.slice(0, 15);
  const peer = `gfp${id}`.slice(0, 15);
  const range = `10.${second}.0.0/16`;
  const linkNet = `10.249.${link}`;
  const remove = () => {
    for (const args of [['route', 'del', range], ['link', 'del', host], ['netns', 'del', name]]) {
      try {
        ip(...args);
      } catch {
        /* never made, or gone with the namespace */
      }
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', name);
    ip('addr', 'add', `${linkNet}.2/30`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${linkNet}.1/30`, 'dev', peer);
    ip('netns', 'exec', name, 'ip', 'link', 'set', peer, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', name, 'ip', 'route', 'add', 'local', range, 'dev', 'lo');
    ip('route', 'add', range, 'via', `${linkNet}.1`, 'dev', host);
  } catch (e) {
    remove();
    throw new Error(`cannot create the fleet pod network ${name} (needs root and iproute2): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const address = (n: number) => `10.${second}.${Math.floor(n / 256)}.${n % 256}`;
  return {
    name,
    range,
    podCIDR: (i) => `${address(i * 4)}/30`,
    podIP: (i) => address(i * 4 + 1),
    spawn: (command, args) => spawn('ip', ['netns', 'exec', name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    remove,
  };
}
