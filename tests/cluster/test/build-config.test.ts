// The generated go.mod and link flags of the control-plane build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlPlaneGoMod, kubernetesVersionLdflags } from '../src/binaries.js';
import { stagingVersion } from '../src/versions.js';

const sample = [
  'module k8s.io/kubernetes',
  'go 1.26.0',
  'require (',
  '\tk8s.io/api v0.0.0',
  '\tgo.etcd.io/etcd/client/v3 v3.7.0',
  ')',
  'replace (',
  '\tk8s.io/api => ./staging/src/k8s.io/api',
  '\tk8s.io/client-go => ./staging/src/k8s.io/client-go',
  '\tk8s.io/kube-controller-manager => ./staging/src/k8s.io/kube-controller-manager',
  ')',
].join('\n');

describe('control-plane build configuration', () => {
  it('maps a release to its staging module version', () => {
    expect(stagingVersion('v1.37.2')).toBe('v0.37.2');
    expect(() => stagingVersion('1.37')).toThrow(/not a Kubernetes release/);
  });

  it('pins every staging module that k8s.io/kubernetes replaces locally', () => {
    const mod = controlPlaneGoMod(sample, 'v1.37.2');
    expect(mod).toContain('require k8s.io/kubernetes v1.37.2');
    expect(mod.split('\n').filter((l) => l.startsWith('replace '))).toEqual([
      'replace k8s.io/api => k8s.io/api v0.37.2',
      'replace k8s.io/client-go => k8s.io/client-go v0.37.2',
      'replace k8s.io/kube-controller-manager => k8s.io/kube-controller-manager v0.37.2',
    ]);
    expect(() => controlPlaneGoMod('module x\n', 'v1.37.2')).toThrow(/no staging replace lines/);
  });

  it('stamps the release version the way the Kubernetes release build does', () => {
    const flags = kubernetesVersionLdflags('v1.37.2');
    expect(flags).toMatch(/^-s -w /);
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.37.2');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMinor=37');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMajor=1');
  });

  it('the real release go.mod yields every staging module (from the module cache)', () => {
    // Present once the binaries were built: the global setup built them.
    const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const goMod = readFileSync(join(modCache, 'cache', 'download', 'k8s.io', 'kubernetes', '@v', 'v1.37.2.mod'), 'utf8');
    const lines = controlPlaneGoMod(goMod, 'v1.37.2').split('\n').filter((l) => l.startsWith('replace '));
    expect(lines.length).toBeGreaterThanOrEqual(30);
    expect(lines).toContain('replace k8s.io/apiserver => k8s.io/apiserver v0.37.2');
  });
});
