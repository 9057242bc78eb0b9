// The Go builder: the command lines it composes, the cache layout it keeps, the error when Go
// is missing, and real builds of a small local module (no network) that succeed and fail.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheRoot, toolBinDir } from '../src/provision/cache.js';
import { ensureGoBinaries, goInvocation, type GoBinaries } from '../src/provision/go-install.js';
import { GoBuildOutput } from '../src/provision/go-output.js';
import { findGo } from '../src/provision/go-toolchain.js';
import { ensureHelm, helmLdflags, helmPath, KUBERNETES, kubernetesBinDir, KWOK, kwokBinDir } from '../src/provision/tools.js';

const scratch = mkdtempSync(join(tmpdir(), 'test-tools-go-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('cache layout', () => {
  it('keeps each tool under <cache>/gpio-fleet/<name>-<version>/bin, as before the move', () => {
    expect(cacheRoot({})).toBe(join(homedir(), '.cache', 'gpio-fleet'));
    expect(cacheRoot({ XDG_CACHE_HOME: '/c' })).toBe('/c/gpio-fleet');
    expect(helmPath({ XDG_CACHE_HOME: '/c' })).toBe('/c/gpio-fleet/helm-v3.22.0/bin/helm');
    expect(kubernetesBinDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/gpio-fleet/kubernetes-v1.37.2/bin');
    expect(kwokBinDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/gpio-fleet/kwok-v0.8.0/bin');
    expect(toolBinDir('containerd', 'v2.4.2', { XDG_CACHE_HOME: '/c' })).toBe('/c/gpio-fleet/containerd-v2.4.2/bin');
  });
});

describe('go command lines', () => {
  it('installs module packages at the pinned version, with GOBIN and without -mod', () => {
    const { args, env } = goInvocation(KWOK, '/out');
    expect(args).toEqual(['install', '-v', '-p', '2', '-trimpath', '-ldflags=-s -w', 'sigs.k8s.io/kwok/cmd/kwok@v0.8.0']);
    expect(env).toEqual({ GOMAXPROCS: '2', GOFLAGS: '-buildvcs=false', GOBIN: '/out' });
  });

  it('passes cgo, build tags and extra environment through (the runc shape)', () => {
    const runc: GoBinaries = { name: 'runc', version: 'v1.3.0', packages: ['github.com/opencontainers/runc'], binaries: ['runc'], cgo: true, tags: ['seccomp'], ldflags: ['-s', '-w', '-X main.version=1.3.0'], env: { PKG_CONFIG: 'pkg-config' } };
    const { args, env } = goInvocation(runc, '/out');
    expect(args).toEqual(['install', '-v', '-p', '2', '-trimpath', '-tags', 'seccomp', '-ldflags=-s -w -X main.version=1.3.0', 'github.com/opencontainers/runc@v1.3.0']);
    expect(env).toMatchObject({ CGO_ENABLED: '1', PKG_CONFIG: 'pkg-config', GOBIN: '/out' });
    expect(goInvocation({ ...runc, cgo: false }, '/out').env.CGO_ENABLED).toBe('0');
  });

  it('builds inside the generated module for Kubernetes: go build -o <dir>/, -mod=mod, release stamps', () => {
    const { args, env } = goInvocation(KUBERNETES, '/out');
    expect(args.slice(0, 5)).toEqual(['build', '-v', '-p', '2', '-trimpath']);
    expect(args[5]).toMatch(/^-ldflags=-s -w -X k8s\.io\/component-base\/version\.gitVersion=v1\.37\.2 /);
    expect(args.slice(6)).toEqual(['-o', '/out/', 'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler', 'go.etcd.io/etcd/server/v3']);
    expect(env).toEqual({ GOMAXPROCS: '2', GOFLAGS: '-mod=mod -buildvcs=false' });
    expect(KUBERNETES.rename).toEqual({ server: 'etcd' });
  });

  it('links helm the way its release Makefile does', () => {
    expect(helmLdflags()).toEqual([
      '-w',
      '-s',
      '-X helm.sh/helm/v3/internal/version.version=v3.22.0',
      '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
      '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1',
      '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37',
      '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1',
      '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37',
    ]);
  });
});

describe('go -v output', () => {
  it('counts compiled packages and downloads, and keeps the messages', () => {
    const out = new GoBuildOutput();
    const kinds = ['go: downloading helm.sh/helm/v3 v3.22.0', 'internal/goarch', 'k8s.io/api/core/v1', '# example.com/broken', './main.go:3:2: undefined: nope', ''].map((l) => out.add(l));
    expect(kinds).toEqual(['download', 'package', 'package', 'message', 'message', 'blank']);
    expect(out.messages).toEqual(['# example.com/broken', './main.go:3:2: undefined: nope']);
    expect(out.progressLine('helm v3.22.0', 40_400)).toBe('still building helm v3.22.0: 40 s, 2 packages compiled, 1 module downloaded (last: k8s.io/api/core/v1)');
  });
});

describe('without Go', () => {
  it('finds no go on an empty PATH with no fallbacks', () => {
    expect(findGo({ PATH: '' }, [])).toBeUndefined();
    expect(findGo(process.env)?.version).toMatch(/^go version go1\./);
  });

  it('fails naming the tool and where it looked, unless the cache already has it', () => {
    const env = { PATH: '', XDG_CACHE_HOME: join(scratch, 'no-go') };
    expect(() => ensureHelm({ env, goFallbackDirs: [] })).toThrow(
      /^helm v3\.22\.0 is not built yet \(.*no-go\/gpio-fleet\/helm-v3\.22\.0\/bin\) and cannot be built: no working "go" in PATH \(empty\)\. Install Go/,
    );
    // A warm cache needs no Go at all.
    mkdirSync(join(env.XDG_CACHE_HOME, 'gpio-fleet', 'helm-v3.22.0', 'bin'), { recursive: true });
    writeFileSync(helmPath(env), '');
    expect(ensureHelm({ env, goFallbackDirs: [] })).toBe(helmPath(env));
  });
});

describe('building a local module (real go, no network)', () => {
  const go = findGo()!.go;
  // Keep go's own compile cache where it is: XDG_CACHE_HOME would move it.
  const env = { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache'), GOCACHE: execFileSync(go, ['env', 'GOCACHE'], { encoding: 'utf8' }).trim() };
  const source = (body: string) => {
    const dir = mkdtempSync(join(scratch, 'src-'));
    mkdirSync(join(dir, 'cmd', 'server'), { recursive: true });
    writeFileSync(join(dir, 'go.mod'), 'module example.com/greeter\n\ngo 1.22\n');
    writeFileSync(join(dir, 'cmd', 'server', 'main.go'), `package main\n\nimport "fmt"\n\nvar greeting = "unset"\n\nfunc main() {\n${body}\n}\n`);
    return dir;
  };
  const spec = (dir: string, version: string): GoBinaries<'greeter'> => ({
    name: 'greeter',
    version,
    packages: ['example.com/greeter/cmd/server'],
    binaries: ['greeter'],
    rename: { server: 'greeter' },
    ldflags: ['-s', '-w', '-X main.greeting=linked'],
    cgo: false,
    goMod: () => `module gpio-fleet/test\n\ngo 1.22\n\nrequire example.com/greeter v0.0.0\n\nreplace example.com/greeter => ${dir}\n`,
    verify: ({ greeter }) => {
      if (execFileSync(greeter, { encoding: 'utf8' }) !== 'linked\n') throw new Error('link flags not applied');
    },
  });

  it('builds, renames, verifies and moves the binaries into the cache; a second call builds nothing', () => {
    const lines: string[] = [];
    const paths = ensureGoBinaries(spec(source('\tfmt.Println(greeting)'), 'v0.0.1'), { env, log: (l) => lines.push(l) });
    expect(paths.greeter).toBe(join(scratch, 'cache', 'gpio-fleet', 'greeter-v0.0.1', 'bin', 'greeter'));
    expect(execFileSync(paths.greeter, { encoding: 'utf8' })).toBe('linked\n');
    expect(readdirSync(join(scratch, 'cache', 'gpio-fleet', 'greeter-v0.0.1'))).toEqual(['bin']);
    expect(lines[0]).toMatch(/^building greeter v0\.0\.1 from Go modules with go version go1\./);
    expect(lines[1]).toMatch(/^greeter v0\.0\.1 built in \d+ s into /);

    lines.length = 0;
    ensureGoBinaries(spec('/nonexistent', 'v0.0.1'), { env, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });

  it('fails naming the tool with the compiler message, and leaves nothing in the cache', () => {
    expect(() => ensureGoBinaries(spec(source('\tfmt.Println(nope)'), 'v0.0.2'), { env, log: () => undefined })).toThrow(
      /^building greeter v0\.0\.2 failed: "go build \.\.\." exited with 1 after \d+ s; go said:[\s\S]*undefined: nope/,
    );
    expect(existsSync(join(scratch, 'cache', 'gpio-fleet', 'greeter-v0.0.2'))).toBe(false);
  });

  it('refuses binaries that fail verification', () => {
    expect(() => ensureGoBinaries({ ...spec(source('\tfmt.Println("other")'), 'v0.0.3') }, { env, log: () => undefined })).toThrow(/link flags not applied/);
    expect(existsSync(join(scratch, 'cache', 'gpio-fleet', 'greeter-v0.0.3', 'bin'))).toBe(false);
  });
});
