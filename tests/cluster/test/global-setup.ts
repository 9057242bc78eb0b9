// One real control plane for the whole run: build what is missing (progress on stderr), start
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1,
// register the fake fleet, and stop everything afterwards. Nothing is skipped: a missing tool
// is built, and a failure to build or start fails the run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHelm } from '@gpio-fleet/test-tools/provision';
import type { TestProject } from 'vitest/node';
import { ensureControlPlaneBinaries } from '../src/binaries.js';
import { ADMIN_USER } from '../src/control-plane.js';
import { startFleetCluster } from '../src/fleet-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    server: string;
    clusterDir: string;
    helm: string;
  }
}

/**
 * What the API server's audit log records: the admin user's lists and reads of nodes, pods and
 * DaemonSets and its pod-proxy requests, with their URLs and times (pagination.test.ts checks
 * the CLI's pages and how many pods it reads at once from them).
 */
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
  - level: Metadata
    users: [${ADMIN_USER}]
    verbs: [list, get]
    resources:
      - group: ""
        resources: [nodes, pods, pods/proxy]
      - group: apps
        resources: [daemonsets]
  - level: None
`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (m: string) => process.stderr.write(`[cluster-tests] ${m}\n`);
  const t0 = Date.now();
  const helm = ensureHelm({ log });
  const binaries = ensureControlPlaneBinaries(log);
  log(`tools ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-e2e-'));
  const cp = await startFleetCluster({ dir, binaries, log, auditPolicy: AUDIT_POLICY });
  project.provide('kubeconfig', cp.kubeconfig);
  project.provide('server', cp.server);
  project.provide('clusterDir', cp.dir);
  project.provide('helm', helm);
  return async () => {
    await cp.stop();
    log('control plane stopped');
  };
}
