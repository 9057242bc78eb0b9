// The control plane's binaries: kube-apiserver, kube-controller-manager, kube-scheduler and
// etcd, and kwok for the fake nodes' kubelets. @gpio-fleet/test-tools builds them from their Go
// modules, once per version, into ~/.cache/gpio-fleet/ (kubernetes-<ver>/bin, kwok-<ver>/bin).
import { ensureKubernetesBinaries, ensureKwok, type KubernetesBinaries, type Log } from '@gpio-fleet/test-tools/provision';

export type { Log };

export interface ControlPlaneBinaries extends KubernetesBinaries {
  kwok: string;
}

/** Paths of the control-plane binaries, building whatever is missing first. */
export function ensureControlPlaneBinaries(log: Log = (m) => process.stderr.write(`[cluster] ${m}\n`)): ControlPlaneBinaries {
  return { ...ensureKubernetesBinaries({ log }), kwok: ensureKwok({ log }) };
}
