// Builds the control-plane binaries from their Go modules with this machine's Go toolchain,
// once per version, into ~/.cache/gpio-fleet/ (or $XDG_CACHE_HOME/gpio-fleet/):
//   kubernetes-<ver>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,etcd}
//   kwok-<ver>/bin/kwok
// Nothing is downloaded but Go modules. Fails loudly when Go is missing or a build fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ETCD_MODULE, KUBERNETES_VERSION, KWOK_VERSION, stagingVersion } from './versions.js';

export interface ControlPlaneBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  etcd: string;
  kwok: string;
}

export type Log = (message: string) => void;

export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpio-fleet');
}

export function kubernetesBinDir(version = KUBERNETES_VERSION): string {
  return join(cacheRoot(), `kubernetes-${version}`, 'bin');
}

export function kwokBinDir(version = KWOK_VERSION): string {
  return join(cacheRoot(), `kwok-${version}`, 'bin');
}

// Two cores shared with other work: two compile jobs at most, and GOMAXPROCS to match.
const GO_ENV = { GOMAXPROCS: '2', GOFLAGS: '-mod=mod -buildvcs=false' };
const GO_BUILD_FLAGS = ['-p', '2', '-trimpath', '-ldflags=-s -w'];

/**
 * The version stamps Kubernetes' own release build sets (hack/lib/version.sh). Without them the
 * server reports v0.0.0-master, and clients that check versions (helm against a chart's
 * kubeVersion) refuse it. They only change the link step, so the compile cache still applies.
 */
export function kubernetesVersionLdflags(version: string): string {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  if (!m) throw new Error(`not a Kubernetes release version: ${version}`);
  const stamps: Record<string, string> = { gitVersion: version, gitMajor: m[1]!, gitMinor: m[2]!, gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z' };
  const x = Object.entries(stamps).flatMap(([k, v]) => [`-X k8s.io/component-base/version.${k}=${v}`, `-X k8s.io/client-go/pkg/version.${k}=${v}`]);
  return ['-s', '-w', ...x].join(' ');
}

function go(args: string[], cwd: string, extraEnv: Record<string, string> = {}, capture = false): string {
  const res = spawnSync('go', args, {
    cwd,
    env: { ...process.env, ...GO_ENV, ...extraEnv },
    encoding: 'utf8',
    // -v prints each package as it compiles: the progress of a long first build.
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`cannot run "go ${args.join(' ')}": ${res.error.message} (is Go installed and on PATH?)`);
  if (res.status !== 0) throw new Error(`"go ${args.join(' ')}" failed with exit ${res.status}${capture ? `:\n${res.stderr}` : '; see the output above'}`);
  return res.stdout ?? '';
}

/**
 * The go.mod of a throwaway module that requires k8s.io/kubernetes. Kubernetes' own go.mod
 * points every k8s.io/* staging module at ./staging/src/...; a module that depends on it must
 * pin each of them to the published v0.x version instead. The list is read from the release's
 * go.mod, so it is right for whatever version is pinned.
 */
export function controlPlaneGoMod(kubernetesGoMod: string, version: string, goVersion = '1.26'): string {
  const staging = stagingVersion(version);
  const modules = [...kubernetesGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1]!);
  if (modules.length === 0) throw new Error(`k8s.io/kubernetes ${version}: no staging replace lines found in its go.mod`);
  return [
    'module gpio-fleet/control-plane',
    '',
    `go ${goVersion}`,
    '',
    `require k8s.io/kubernetes ${version}`,
    '',
    ...modules.map((m) => `replace ${m} => ${m} ${staging}`),
    '',
  ].join('\n');
}

function buildInto(binDir: string, what: string, log: Log, build: (tmpBin: string) => void): void {
  const tmpBin = `${binDir}.tmp-${process.pid}`;
  rmSync(tmpBin, { recursive: true, force: true });
  mkdirSync(tmpBin, { recursive: true });
  const started = Date.now();
  log(`building ${what} from Go modules (one-off per version; package names follow as they compile)`);
  try {
    build(tmpBin);
  } catch (e) {
    rmSync(tmpBin, { recursive: true, force: true });
    throw e;
  }
  // Rename into place, so a concurrent run never sees half a set of binaries.
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(join(binDir, '..'), { recursive: true });
  renameSync(tmpBin, binDir);
  log(`${what} built in ${Math.round((Date.now() - started) / 1000)} s into ${binDir}`);
}

function ensureKubernetes(log: Log): string {
  const binDir = kubernetesBinDir();
  const names = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];
  if (names.every((n) => existsSync(join(binDir, n)))) return binDir;
  buildInto(binDir, `Kubernetes ${KUBERNETES_VERSION} control plane and etcd`, log, (tmpBin) => {
    const work = join(tmpdir(), `gpio-fleet-k8s-build-${process.pid}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    try {
      const info = JSON.parse(go(['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], work, {}, true)) as { GoMod?: string; Error?: string };
      if (!info.GoMod) throw new Error(`go mod download k8s.io/kubernetes@${KUBERNETES_VERSION}: ${info.Error ?? 'no go.mod'}`);
      writeFileSync(join(work, 'go.mod'), controlPlaneGoMod(readFileSync(info.GoMod, 'utf8'), KUBERNETES_VERSION));
      // etcd at the version Kubernetes' own module graph selects: no second resolution.
      const flags = [...GO_BUILD_FLAGS.filter((f) => !f.startsWith('-ldflags')), `-ldflags=${kubernetesVersionLdflags(KUBERNETES_VERSION)}`];
      go(['build', '-v', ...flags, '-o', tmpBin, 'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler', ETCD_MODULE], work);
      // The etcd main package is the module root, so go names its binary after "server".
      renameSync(join(tmpBin, 'server'), join(tmpBin, 'etcd'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  return binDir;
}

function ensureKwok(log: Log): string {
  const binDir = kwokBinDir();
  if (existsSync(join(binDir, 'kwok'))) return binDir;
  buildInto(binDir, `kwok ${KWOK_VERSION}`, log, (tmpBin) => {
    // kwok's go.mod has no replace directives, so a plain go install works.
    go(['install', '-v', ...GO_BUILD_FLAGS, `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], tmpdir(), { GOBIN: tmpBin, GOFLAGS: '-buildvcs=false' });
  });
  return binDir;
}

/** Paths of the control-plane binaries, building whatever is missing first. */
export function ensureControlPlaneBinaries(log: Log = (m) => process.stderr.write(`[cluster] ${m}\n`)): ControlPlaneBinaries {
  const k8s = ensureKubernetes(log);
  const kwok = ensureKwok(log);
  return {
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    etcd: join(k8s, 'etcd'),
    kwok: join(kwok, 'kwok'),
  };
}
