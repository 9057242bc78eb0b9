// One control plane (with its fake kwok fleet) and one real node, real-0, for the whole run:
// build what is missing (progress on stderr), snapshot the machine, start everything, push
// our images into the node's registry. Afterwards stop it all and fail the run if the machine
// is not as it was. Nothing is skipped: a part that cannot be built or started fails the run,
// naming the part.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  containerdPaths,
  diffHostState,
  ensureControlPlaneBinaries,
  ensureImagesBuilt,
  ensureNodeBinaries,
  ensurePauseImage,
  pushAppImages,
  realNodeScope,
  snapshotHost,
  startFleetCluster,
  startRealNode,
  type RealNode,
} from '@gpio-fleet/cluster-tests';
import { ensureHelm, ensurePrometheus } from '@gpio-fleet/test-tools/provision';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    server: string;
    clusterDir: string;
    caCert: string;
    helm: string;
    /** host:port of real-0's registry. */
    registry: string;
    /** Pushed tag per app. */
    imageTags: Record<string, string>;
    nodeRunDir: string;
    registryLogFile: string;
    ctr: string;
    containerdSocket: string;
    prometheus: string;
    skopeo: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (m: string) => process.stderr.write(`[node-tests] ${m}\n`);
  const t0 = Date.now();
  const helm = ensureHelm({ log });
  const controlPlaneBinaries = ensureControlPlaneBinaries(log);
  // After the control plane: the kubelet's build reuses its compile cache.
  const binaries = ensureNodeBinaries(log);
  const prometheus = ensurePrometheus({ log });
  const pause = ensurePauseImage(log);
  const images = ensureImagesBuilt(log);
  log(`parts and images ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const scope = realNodeScope(binaries, [prometheus.prometheus]);
  const before = snapshotHost(scope);
  const cp = await startFleetCluster({ dir: mkdtempSync(join(tmpdir(), 'gpio-fleet-node-tests-')), binaries: controlPlaneBinaries, log });
  let node: RealNode | undefined;
  try {
    node = await startRealNode({ controlPlane: cp, binaries, pause, log });
    const pushed = await pushAppImages({ skopeo: binaries.skopeo, registry: node.registry, imagesDir: images, log });
    project.provide('kubeconfig', cp.kubeconfig);
    project.provide('server', cp.server);
    project.provide('clusterDir', cp.dir);
    project.provide('caCert', cp.caCert);
    project.provide('helm', helm);
    project.provide('registry', node.registry);
    project.provide('imageTags', Object.fromEntries(pushed.map((p) => [p.app, p.tag])));
    project.provide('nodeRunDir', node.runDir);
    project.provide('registryLogFile', join(node.runDir, 'logs', 'registry.log'));
    project.provide('ctr', binaries.ctr);
    project.provide('containerdSocket', containerdPaths(node.runDir).socket);
    project.provide('prometheus', prometheus.prometheus);
    project.provide('skopeo', binaries.skopeo);
  } catch (e) {
    await node?.stop().catch((s: unknown) => log(`stopping the node: ${String(s)}`));
    await cp.stop();
    throw e;
  }
  log(`control plane, real node and registry up after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  return async () => {
    const problems: string[] = [];
    await node.stop().catch((e: unknown) => problems.push(e instanceof Error ? e.message : String(e)));
    await cp.stop();
    const left = diffHostState(before, snapshotHost(scope));
    if (left.length > 0) problems.push(`the machine is not as before the run:\n  ${left.join('\n  ')}`);
    if (problems.length > 0) {
      // vitest prints a teardown's error but keeps the run's exit code: fail the run here.
      process.exitCode = 1;
      throw new Error(`real node teardown: ${problems.join('\n')}`);
    }
    log('real node and control plane stopped; the machine is as before the run');
  };
}
