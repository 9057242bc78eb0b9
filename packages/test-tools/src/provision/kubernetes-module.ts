// Building Kubernetes commands from k8s.io/kubernetes as a dependency: the generated main
// module that makes that possible, and the version stamps of Kubernetes' own release build.
// Every binary built from k8s.io/kubernetes shares this module, so they share one compile cache.

/** The staging modules k8s.io/* carry the Kubernetes minor as v0.<minor>.<patch>. */
export function stagingVersion(kubernetes: string): string {
  const m = /^v1\.(\d+)\.(\d+)$/.exec(kubernetes);
  if (!m) throw new Error(`not a Kubernetes release version: ${kubernetes}`);
  return `v0.${m[1]}.${m[2]}`;
}

/**
 * The go.mod of a throwaway module that requires k8s.io/kubernetes. Kubernetes' own go.mod
 * points every k8s.io/* staging module at ./staging/src/...; a module that depends on it must
 * pin each of them to the published v0.x version instead. The list is read from the release's
 * go.mod, so it is right for whatever version is pinned.
 */
export function kubernetesGoMod(kubernetesGoModText: string, version: string, goVersion = '1.26'): string {
  const staging = stagingVersion(version);
  const modules = [...kubernetesGoModText.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1]!);
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

/**
 * The version stamps Kubernetes' own release build sets (hack/lib/version.sh). Without them the
 * server reports v0.0.0-master, and clients that check versions (helm against a chart's
 * kubeVersion) refuse it. They only change the link step, so the compile cache still applies.
 */
export function kubernetesVersionLdflags(version: string): string[] {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  if (!m) throw new Error(`not a Kubernetes release version: ${version}`);
  const stamps: Record<string, string> = { gitVersion: version, gitMajor: m[1]!, gitMinor: m[2]!, gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z' };
  const x = Object.entries(stamps).flatMap(([k, v]) => [`-X k8s.io/component-base/version.${k}=${v}`, `-X k8s.io/client-go/pkg/version.${k}=${v}`]);
  return ['-s', '-w', ...x];
}
