// The real node's parts: their go command lines and cache paths, as the builder composes them.
import { describe, expect, it } from 'vitest';
import { toolBinDir } from '../src/provision/cache.js';
import { goInvocation } from '../src/provision/go-install.js';
import { CONTAINERD, KUBELET, kubeletBinDir, PROMETHEUS, REGISTRY, RUNC } from '../src/provision/node-tools.js';
import { KUBERNETES } from '../src/provision/tools.js';
import { prometheusRelease } from '../src/provision/versions.js';

const env = { XDG_CACHE_HOME: '/c' };

describe('the real node parts', () => {
  it('are cached per version, the kubelet apart from the control plane', () => {
    expect(kubeletBinDir(env)).toBe('/c/gpio-fleet/kubelet-v1.37.2/bin');
    expect(toolBinDir(CONTAINERD.name, CONTAINERD.version, env)).toBe('/c/gpio-fleet/containerd-v2.4.2/bin');
    expect(toolBinDir(RUNC.name, RUNC.version, env)).toBe('/c/gpio-fleet/runc-v1.5.3/bin');
    expect(toolBinDir(REGISTRY.name, REGISTRY.version, env)).toBe('/c/gpio-fleet/registry-v3.1.2/bin');
    expect(toolBinDir(PROMETHEUS.name, PROMETHEUS.version, env)).toBe('/c/gpio-fleet/prometheus-v0.316.0/bin');
  });

  it('builds the kubelet in the control plane module, with the same flags and stamps', () => {
    const kubelet = goInvocation(KUBELET, '/out');
    const controlPlane = goInvocation(KUBERNETES, '/out');
    expect(kubelet.args).toEqual([...controlPlane.args.slice(0, 8), 'k8s.io/kubernetes/cmd/kubelet']);
    expect(kubelet.env).toEqual(controlPlane.env);
    expect(KUBELET.ldflags).toEqual(KUBERNETES.ldflags);
  });

  it('installs containerd, its runc shim and ctr at the pinned release, stamped with it', () => {
    expect(goInvocation(CONTAINERD, '/out').args).toEqual([
      'install', '-v', '-p', '2', '-trimpath',
      '-ldflags=-s -w -X github.com/containerd/containerd/v2/version.Version=v2.4.2',
      'github.com/containerd/containerd/v2/cmd/containerd@v2.4.2',
      'github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@v2.4.2',
      'github.com/containerd/containerd/v2/cmd/ctr@v2.4.2',
    ]);
  });

  it('builds runc with seccomp, which needs cgo and libseccomp-dev', () => {
    const { args, env: goEnv } = goInvocation(RUNC, '/out');
    expect(args).toEqual(['install', '-v', '-p', '2', '-trimpath', '-tags', 'seccomp', '-ldflags=-s -w -X main.version=1.5.3', 'github.com/opencontainers/runc@v1.5.3']);
    expect(goEnv.CGO_ENABLED).toBe('1');
    expect(RUNC.debianPackages).toEqual(expect.arrayContaining(['libseccomp-dev', 'pkg-config']));
  });

  it('builds Prometheus with the Kubernetes service discovery only', () => {
    expect(goInvocation(PROMETHEUS, '/out').args).toEqual([
      'install', '-v', '-p', '2', '-trimpath',
      '-tags', 'remove_all_sd,enable_kubernetes_sd',
      '-ldflags=-s -w -X github.com/prometheus/common/version.Version=3.16.0',
      'github.com/prometheus/prometheus/cmd/prometheus@v0.316.0',
      'github.com/prometheus/prometheus/cmd/promtool@v0.316.0',
    ]);
  });

  it('reads a Prometheus release from its module version', () => {
    expect(prometheusRelease('v0.316.0')).toBe('3.16.0');
    expect(prometheusRelease('v0.305.1')).toBe('3.5.1');
    expect(() => prometheusRelease('v3.16.0')).toThrow(/not a Prometheus module version/);
  });
});
