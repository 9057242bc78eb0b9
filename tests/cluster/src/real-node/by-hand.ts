// `npm run cluster:up -- --real-node` and `npm run cluster:down`: the real node as a developer
// uses it, next to the hand-started control plane (cli.ts), with the images pushed.
import type { Log } from '@gpio-fleet/test-tools/provision';
import type { ControlPlaneState } from '../control-plane.js';
import { ensureNodeBinaries, type NodeBinaries } from './binaries.js';
import { ensureImagesBuilt, pushAppImages } from './images.js';
import { nodeRunning, readNodeState } from './node-state.js';
import { ensurePauseImage, type PauseImage } from './pause-image.js';
import { stopRealNode } from './cleanup.js';
import { startRealNode } from './real-node.js';

export interface PreparedNode {
  binaries: NodeBinaries;
  pause: PauseImage;
  images: string;
}

/** Builds (first time) what the node runs and the images it serves: before anything starts. */
export function prepareRealNode(log: Log): PreparedNode {
  const binaries = ensureNodeBinaries(log);
  const pause = ensurePauseImage(log);
  const images = ensureImagesBuilt(log);
  return { binaries, pause, images };
}

/** The line that tells a shell where the registry is. */
export const registryExport = (registry: string) => `export GPIO_FLEET_REGISTRY=${registry}\n`;

/**
 * Starts the node and pushes the images, unless the recorded node already runs; returns the
 * registry's host:port.
 */
export async function ensureRealNode(cp: ControlPlaneState, log: Log, prepared: PreparedNode = prepareRealNode(log)): Promise<string> {
  const running = readNodeState();
  if (running && nodeRunning(running) && running.registry) {
    log(`real node ${running.nodeName} already running (run directory ${running.runDir})`);
    return running.registry;
  }
  const node = await startRealNode({ controlPlane: cp, binaries: prepared.binaries, pause: prepared.pause, log });
  try {
    await pushAppImages({ skopeo: prepared.binaries.skopeo, registry: node.registry, imagesDir: prepared.images, log });
  } catch (e) {
    await node.stop();
    throw e;
  }
  log(`real node ${node.name} (amd64, no device label): try it with --set image.repository=$GPIO_FLEET_REGISTRY/light-sensor`);
  return node.registry;
}

/** Stops the recorded node, if any; true when there was one. */
export async function stopRecordedRealNode(log: Log): Promise<boolean> {
  const state = readNodeState();
  if (!state) return false;
  await stopRealNode(state, log);
  return true;
}
