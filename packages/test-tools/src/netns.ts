// Network namespaces our tests make for themselves (root and iproute2). Two kinds:
// - a private loopback, so a command that listens on a fixed port (the README's :9110) runs
//   as written without clashing with anything on the host;
// - a pod network: a namespace joined to the host by a veth pair, so a real process can
//   listen on a 10.x pod IP the API server reaches (its pod proxy refuses loopback pod IPs).
//   Addresses are a /30 that exists only on this pair: host side .2, namespace side .1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ensureCommand } from './provision/debian.js';

export interface PodNetwork {
  name: string;
  /** The address inside the namespace: the pod IP kwok hands out from podCIDR. */
  podIP: string;
  podCIDR: string;
  /** Run a command inside the namespace. */
  spawn(command: string, args: readonly string[]): ChildProcess;
  remove(): void;
}

/** Runs `ip` with these arguments (root), failing with its stderr. */
export function ipCommand(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface IsolatedLoopback {
  name: string;
  /** argv prefix that runs a command inside the namespace: `[...prefix, command, ...args]`. */
  prefix: string[];
  remove(): void;
}

/** A namespace with only its own loopback, up: every port on 127.0.0.1 is free in it. */
export function createIsolatedLoopback(id: string): IsolatedLoopback {
  ensureCommand('ip', 'iproute2');
  const name = `gf-${id}`;
  const remove = () => {
    try {
      ipCommand('netns', 'del', name);
    } catch {
      /* never created */
    }
  };
  try {
    ipCommand('netns', 'add', name);
    ipCommand('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (e) {
    remove();
    throw new Error(`cannot create network namespace ${name} (needs root and iproute2): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return { name, prefix: ['ip', 'netns', 'exec', name], remove };
}

export interface VethNamespace {
  name: string;
  /** The veth end on the host: `<net>.2/30`. */
  hostLink: string;
  /** Run a command inside the namespace. */
  spawn: (command: string, args: readonly string[]) => ChildProcess;
  /** Undo everything, also what a caller added with `ip` inside or for the namespace. */
  remove: () => void;
}

/**
 * A namespace joined to the host by a veth pair on `<net>.0/30` (host .2, namespace .1), its
 * loopback up. `routes` are host routes (`ip route` arguments) to delete on remove; `setup`
 * runs after the pair is up, and a failure there removes everything too.
 */
export function createVethNamespace(id: string, net: string, options: { routes?: readonly string[]; setup?: (ns: { name: string; hostLink: string }) => void } = {}): VethNamespace {
  ensureCommand('ip', 'iproute2');
  const name = `gf-${id}`;
  const hostLink = `gfh${id}`.slice(0, 15);
  const peer = `gfp${id}`.slice(0, 15);
  const remove = () => {
    for (const args of [...(options.routes ?? []).map((r) => ['route', 'del', r]), ['link', 'del', hostLink], ['netns', 'del', name]]) {
      try {
        ipCommand(...args);
      } catch {
        /* never made, or gone with the namespace */
      }
    }
  };
  try {
    ipCommand('netns', 'add', name);
    ipCommand('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', peer);
    ipCommand('link', 'set', peer, 'netns', name);
    ipCommand('addr', 'add', `${net}.2/30`, 'dev', hostLink);
    ipCommand('link', 'set', hostLink, 'up');
    ipCommand('netns', 'exec', name, 'ip', 'addr', 'add', `${net}.1/30`, 'dev', peer);
    ipCommand('netns', 'exec', name, 'ip', 'link', 'set', peer, 'up');
    ipCommand('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    options.setup?.({ name, hostLink });
  } catch (e) {
    remove();
    throw new Error(`cannot create network namespace ${name} (needs root and iproute2): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return {
    name,
    hostLink,
    spawn: (command, args) => spawn('ip', ['netns', 'exec', name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    remove,
  };
}

/** `octet` picks the /30: 10.251.<octet>.0/30. */
export function createPodNetwork(id: string, octet: number): PodNetwork {
  const net = `10.251.${octet}`;
  const ns = createVethNamespace(id, net);
  return { name: ns.name, podIP: `${net}.1`, podCIDR: `${net}.0/30`, spawn: ns.spawn, remove: ns.remove };
}
