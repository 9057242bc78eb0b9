// The pinned helm binary the chart tests and `npm run build:charts` use. Helm is not in
// Debian, so it is built from its Go module with `go install` into a cache directory keyed by
// version, once per machine (a few minutes on 2 cores). Fails loudly when that is impossible.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HELM_VERSION = 'v3.22.0';
// Kubernetes version compiled in as helm's default (what `helm template` and `helm lint`
// assume without a cluster): the release build derives it from its k8s.io/client-go (v0.37).
// A plain `go install` would leave helm's fallback, 1.20.
const KUBE_MAJOR = '1';
const KUBE_MINOR = '37';

/** Where the pinned helm lives: $XDG_CACHE_HOME/gpio-fleet/helm-<version>/bin/helm. */
export function helmPath() {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'gpio-fleet', `helm-${HELM_VERSION}`, 'bin', 'helm');
}

function log(message) {
  process.stderr.write(`[chart-tests] ${message}\n`);
}

/** The ldflags helm's own Makefile sets for a release build. */
function ldflags() {
  const x = (name, value) => `-X ${name}=${value}`;
  return [
    '-w -s',
    x('helm.sh/helm/v3/internal/version.version', HELM_VERSION),
    x('helm.sh/helm/v3/internal/version.gitTreeState', 'clean'),
    x('helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor', KUBE_MAJOR),
    x('helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor', KUBE_MINOR),
    x('helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor', KUBE_MAJOR),
    x('helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor', KUBE_MINOR),
  ].join(' ');
}

/** `go` from PATH, else the usual install location (task runners may trim PATH). */
function findGo() {
  const onPath = spawnSync('go', ['version'], { stdio: 'ignore' });
  if (onPath.status === 0) return 'go';
  const root = process.env.GOROOT ? join(process.env.GOROOT, 'bin', 'go') : undefined;
  return [root, '/usr/local/go/bin/go'].find((p) => p && existsSync(p)) ?? 'go';
}

/** Path of a working helm of the pinned version, building it first when missing. */
export function ensureHelm() {
  const bin = helmPath();
  if (existsSync(bin)) return bin;
  const goBin = findGo();
  const go = spawnSync(goBin, ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      `helm ${HELM_VERSION} is missing at ${bin} and cannot be built: no working "go" on PATH or in /usr/local/go/bin (${go.error?.message ?? go.stderr})`,
    );
  }
  // Build into a private directory and rename it into place, so two runs at once never see a
  // half-written binary.
  const binDir = join(bin, '..');
  const tmpBin = `${binDir}.tmp-${process.pid}`;
  rmSync(tmpBin, { recursive: true, force: true });
  mkdirSync(tmpBin, { recursive: true });
  log(`building helm ${HELM_VERSION} with go install (${go.stdout.trim()}); one-off, a few minutes on 2 cores; package names follow as they build`);
  const started = Date.now();
  const res = spawnSync(
    goBin,
    ['install', '-v', '-trimpath', '-ldflags', ldflags(), `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: tmpBin, CGO_ENABLED: '0' },
    },
  );
  if (res.status !== 0) {
    rmSync(tmpBin, { recursive: true, force: true });
    throw new Error(`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION} failed (exit ${res.status ?? res.signal}); see the output above`);
  }
  rmSync(binDir, { recursive: true, force: true });
  renameSync(tmpBin, binDir);
  const version = spawnSync(bin, ['version', '--short'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.startsWith(HELM_VERSION)) {
    throw new Error(`built helm does not run or reports the wrong version: ${version.stdout}${version.stderr}`);
  }
  log(`helm ${version.stdout.trim()} ready at ${bin} after ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}
