// The generated go.mod and link flags of the Kubernetes build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { kubernetesGoMod, kubernetesVersionLdflags, stagingVersion } from '../src/provision/kubernetes-module.js';

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

describe('Kubernetes build configuration', () => {
  it('maps a release to its staging module version', () => {
    expect(stagingVersion('v1.37.2')).toBe('v0.37.2');
    expect(() => stagingVersion('1.37')).toThrow(/not a Kubernetes release/);
  });

  it('pins every staging module that k8s.io/kubernetes replaces locally', () => {
    const mod = kubernetesGoMod(sample, 'v1.37.2');
    expect(mod).toContain('require k8s.io/kubernetes v1.37.2');
    expect(mod.split('\n').filter((l) => l.startsWith('replace '))).toEqual([
      'replace k8s.io/api => k8s.io/api v0.37.2',
      'replace k8s.io/client-go => k8s.io/client-go v0.37.2',
      'replace k8s.io/kube-controller-manager => k8s.io/kube-controller-manager v0.37.2',
    ]);
    expect(() => kubernetesGoMod('module x\n', 'v1.37.2')).toThrow(/no staging replace lines/);
  });

  it('stamps the release version the way the Kubernetes release build does', () => {
    const flags = kubernetesVersionLdflags('v1.37.2');
    expect(flags.slice(0, 2)).toEqual(['-s', '-w']);
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.37.2');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMinor=37');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMajor=1');
  });

  it('the real release go.mod yields every staging module', () => {
    // `go list -m` fetches only the module's go.mod (a few kB) from the proxy, not the module.
    const info = JSON.parse(execFileSync('go', ['list', '-m', '-json', 'k8s.io/kubernetes@v1.37.2'], { cwd: tmpdir(), encoding: 'utf8' })) as { GoMod: string };
    const file = info.GoMod;
    const lines = kubernetesGoMod(readFileSync(file, 'utf8'), 'v1.37.2').split('\n').filter((l) => l.startsWith('replace '));
    expect(lines.length).toBeGreaterThanOrEqual(30);
    expect(lines).toContain('replace k8s.io/apiserver => k8s.io/apiserver v0.37.2');
  });
});
