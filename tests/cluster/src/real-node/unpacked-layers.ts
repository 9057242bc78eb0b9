// What containerd keeps of an image's layers once they are unpacked: a committed overlayfs
// snapshot per layer, named by the layer's OCI chain ID. containerd's unpacker skips fetching a
// layer whose snapshot it already has, so a test that wants to see a layer downloaded must
// first see that snapshot gone. Removing the image is not always enough: the container of a
// pod that was just deleted still holds its snapshot chain until the kubelet's container
// garbage collection (once a minute) removes it, and every image of ours shares the runtime
// layer (docs/test-infrastructure.md#a-real-node).
import { createHash } from 'node:crypto';
import { ctr } from './containerd.js';

const SNAPSHOTTER = 'overlayfs';

/** The OCI chain IDs of a stack of layers, bottom first (docs/test-infrastructure.md#a-real-node). */
export function chainIds(diffIds: readonly string[]): string[] {
  const ids: string[] = [];
  for (const diffId of diffIds) {
    const below = ids.at(-1);
    ids.push(below === undefined ? diffId : `sha256:${createHash('sha256').update(`${below} ${diffId}`).digest('hex')}`);
  }
  return ids;
}

export interface Snapshot {
  key: string;
  parent?: string;
  kind: string;
}

/** containerd's overlayfs snapshots in the CRI's namespace. */
export function snapshots(ctrBinary: string, socket: string): Snapshot[] {
  // KEY PARENT KIND; a bottom layer has no parent, so its row has two columns.
  return ctr(ctrBinary, socket, ['snapshots', '--snapshotter', SNAPSHOTTER, 'ls'])
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 2)
    .map((cols) => (cols.length === 2 ? { key: cols[0]!, kind: cols[1]! } : { key: cols[0]!, parent: cols[1]!, kind: cols[2]! }));
}

/** The active (container root) snapshots that sit on any of `keys`, directly or further up. */
export function activeAbove(all: readonly Snapshot[], keys: ReadonlySet<string>): Snapshot[] {
  const below = new Map(all.filter((s) => s.parent !== undefined).map((s) => [s.key, s.parent!]));
  const sitsOn = (key: string): boolean => {
    for (let k: string | undefined = key; k !== undefined; k = below.get(k)) if (keys.has(k)) return true;
    return false;
  };
  return all.filter((s) => s.kind === 'Active' && sitsOn(s.key));
}

/** Runs containerd's garbage collection now: deleting a lease with --sync collects whatever
 *  nothing references any more, snapshots included. */
export function collectGarbage(ctrBinary: string, socket: string): void {
  const id = `gpio-fleet-gc-${process.pid}-${Date.now()}`;
  ctr(ctrBinary, socket, ['leases', 'create', '--id', id]);
  ctr(ctrBinary, socket, ['leases', 'delete', '--sync', id]);
}

/** Image reference per container ID (any state: a stopped container keeps its snapshot). */
export function containerImages(ctrBinary: string, socket: string): Map<string, string> {
  return new Map(
    ctr(ctrBinary, socket, ['containers', 'ls'])
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols.length >= 2)
      .map((cols) => [cols[0]!, cols[1]!]),
  );
}

export interface AwaitLayersGoneOptions {
  ctrBinary: string;
  socket: string;
  /** The image's diff_ids, bottom first. */
  diffIds: readonly string[];
  log: (line: string) => void;
  /** Long enough for two rounds of the kubelet's container garbage collection. */
  timeoutMs?: number;
}

/**
 * Waits until containerd holds no unpacked snapshot of these layers, so that the next pull of
 * an image with them fetches every one. While a container of a deleted pod still sits on them,
 * waits for the kubelet to remove it; once nothing does, runs containerd's garbage collection.
 * Fails naming the containers (or snapshots) still there after `timeoutMs`.
 */
export async function awaitLayersGone(o: AwaitLayersGoneOptions): Promise<void> {
  const wanted = chainIds(o.diffIds);
  const t0 = Date.now();
  const deadline = t0 + (o.timeoutMs ?? 150_000);
  const short = (keys: Iterable<string>) => [...keys].map((k) => k.slice(0, 19)).join(', ');
  const look = () => {
    const all = snapshots(o.ctrBinary, o.socket);
    const held = new Set(wanted.filter((id) => all.some((s) => s.key === id)));
    return { held, containers: activeAbove(all, held).map((s) => s.key) };
  };
  let lastNotice = 0;
  for (;;) {
    let { held, containers } = look();
    if (held.size > 0 && containers.length === 0) {
      // Nothing sits on them any more (or never did): containerd keeps them only until its next
      // collection, and a container's removal does not start one.
      collectGarbage(o.ctrBinary, o.socket);
      ({ held, containers } = look());
      if (held.size > 0 && containers.length === 0) throw new Error(`containerd kept the unpacked layers ${short(held)} through a garbage collection with no container on them: an image on the node still references them`);
    }
    if (held.size === 0) {
      if (Date.now() - t0 > 1000) o.log(`the unpacked layers left the node after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    const images = containerImages(o.ctrBinary, o.socket);
    const what = `${containers.map((c) => `container ${c.slice(0, 12)} (${images.get(c) ?? 'image unknown'})`).join(', ')} still on them`;
    const waited = Math.round((Date.now() - t0) / 1000);
    if (Date.now() > deadline) throw new Error(`containerd still holds the unpacked layers ${short(held)} after ${waited} s: ${what}`);
    if (Date.now() - lastNotice >= 10_000) {
      o.log(`waiting for the kubelet to remove what holds the unpacked layers ${short(held)}: ${what} (${waited} s so far)`);
      lastNotice = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
