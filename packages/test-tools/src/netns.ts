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
  spawn(command: string, args: string[]): ChildProcess;
  remove(): void;
}

function ip(...args: string[]): void {
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
      ip('netns', 'del', name);
    } catch {
      /* never created */
    }
  };
  try {
    ip('netns', 'add', name);
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (e) {
    remove();
    throw new Error(`cannot create network namespace ${name} (needs root and iproute2): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return { name, prefix: ['ip', 'netns', 'exec', name], remove };
}

/** `octet` picks the /30: 10.251.<octet>.0/30. */
export function createPodNetwork(id: string, octet: number): PodNetwork {
  ensureCommand('ip', 'iproute2');
  const name = `gf-${id}`;
  const host = `gfh${id}`.slice(0, 15);
  const peer = `gfp${id}`.slice(0, 15);
  const net = `10.251.${octet}`;
  const remove = () => {
    try {
      ip('link', 'del', host);
    } catch {
      /* gone with the namespace */
    }
    try {
      ip('netns', 'del', name);
    } catch {
      /* never created */
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', name);
    ip('addr', 'add', `${net}.2/30`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${net}.1/30`, 'dev', peer);
    ip('netns', 'exec', name, 'ip', 'link', 'set', peer, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (e) {
    remove();
    throw new Error(`cannot create network namespace ${name} (needs root and iproute2): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return {
    name,
    podIP: `${net}.1`,
    podCIDR: `${net}.0/30`,
    spawn: (command, args) => spawn('ip', ['netns', 'exec', name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    remove,
  };
}
