// A control plane with a fake fleet registered: what `npm run cluster:up`, the end-to-end
// suite and the fleet benchmark all start from. A fleet that fails to register never leaves
// a control plane running behind it.
import { startControlPlane, type ControlPlane, type StartOptions } from './control-plane.js';
import { FLEET, registerNodes, type FakeNode } from './fleet.js';

export interface FleetClusterOptions extends StartOptions {
  /** Nodes to register (default: FLEET). */
  nodes?: readonly FakeNode[];
  registerTimeoutMs?: number;
}

export async function startFleetCluster(options: FleetClusterOptions): Promise<ControlPlane> {
  const { nodes = FLEET, registerTimeoutMs, ...start } = options;
  const cp = await startControlPlane(start);
  try {
    await registerNodes(cp.kubeconfig, nodes, registerTimeoutMs);
  } catch (e) {
    await cp.stop();
    throw e;
  }
  return cp;
}
