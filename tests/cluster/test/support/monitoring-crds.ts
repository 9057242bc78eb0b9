// prometheus-operator's own ServiceMonitor and PodMonitor CRDs, taken from its Go module
// (the module zip carries example/prometheus-operator-crd/), fetched with `go mod download`
// into the module cache the first time. Real schemas, so the server validates the charts'
// monitors exactly as a cluster with the operator installed would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const PROMETHEUS_OPERATOR_VERSION = 'v0.85.0';

export function monitoringCrdFiles(): string[] {
  const res = spawnSync('go', ['mod', 'download', '-json', `github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}`], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (res.status !== 0) throw new Error(`go mod download prometheus-operator ${PROMETHEUS_OPERATOR_VERSION} failed: ${res.stderr}${res.stdout}`);
  const dir = (JSON.parse(res.stdout) as { Dir: string }).Dir;
  return ['servicemonitors', 'podmonitors'].map((kind) => join(dir, 'example', 'prometheus-operator-crd', `monitoring.coreos.com_${kind}.yaml`));
}
