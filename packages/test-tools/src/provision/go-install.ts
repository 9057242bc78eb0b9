// Builds tools from their Go modules with the machine's Go, once per version, into
// <cache>/<name>-<version>/bin. A build goes into a private directory that is renamed into
// place when complete, so a concurrent run never sees half a set of binaries; while go
// compiles, a line with the elapsed time and the packages compiled so far is printed; and
// when Go is missing or the build fails, the error names the tool.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolBinDir } from './cache.js';
import { withBuildLock } from './build-lock.js';
import { ensureDebianPackages } from './debian.js';
import { findGo, GO_FALLBACK_DIRS, goSearchPath, type GoToolchain } from './go-toolchain.js';
import type { RelayRequest, RelayResult } from './go-relay.js';
import { stderrLog, type Log } from './log.js';

/** Runs `go <args>` in the build's work directory and returns its stdout (for GoBinaries.goMod). */
export type GoRunner = (args: readonly string[]) => string;

/** One tool at one version, and how to build it. */
export interface GoBinaries<B extends string = string> {
  /** With `version`, names the cache directory: <cache>/<name>-<version>/bin. */
  name: string;
  version: string;
  /** What progress lines and errors call it (default "<name> <version>"). */
  label?: string;
  /**
   * Main packages. Without `goMod` they are installed as <package>@<version> (go install
   * refuses modules whose go.mod has replace directives; those need `goMod`).
   */
  packages: readonly string[];
  /** The binaries bin/ must hold: all present means the cache is warm. */
  binaries: readonly B[];
  /** go names a binary after its package's last path element; rename some, e.g. { server: 'etcd' }. */
  rename?: Readonly<Record<string, B>>;
  ldflags?: readonly string[];
  tags?: readonly string[];
  /** CGO_ENABLED; unset leaves go's default (on when a C compiler is found). */
  cgo?: boolean;
  /** More environment for go (wins over the defaults below). */
  env?: Readonly<Record<string, string>>;
  /** Debian packages the build needs (C headers for cgo, pkg-config). */
  debianPackages?: readonly string[];
  /**
   * Build `packages` with `go build` inside a generated main module instead: return its go.mod
   * (`go` runs in the module's directory, e.g. to read a dependency's go.mod first).
   */
  goMod?: (go: GoRunner) => string;
  /** Checks the fresh binaries before they go into the cache; throws to refuse them. */
  verify?: (paths: Readonly<Record<B, string>>) => void;
}

export interface GoBuildOptions {
  log?: Log;
  /** The environment go runs with and the cache is found from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where to look for go after PATH and $GOROOT/bin (default /usr/local/go/bin). */
  goFallbackDirs?: readonly string[];
  /** How often the "still building" line is printed (default 20 s). */
  progressIntervalMs?: number;
}

// Two cores shared with other work: two compile jobs at most, and GOMAXPROCS to match.
const GO_ENV = { GOMAXPROCS: '2' };
const GO_FLAGS = ['-v', '-p', '2', '-trimpath'];

export const goLabel = (spec: Pick<GoBinaries, 'name' | 'version' | 'label'>): string => spec.label ?? `${spec.name} ${spec.version}`;

/** The go command line and environment that build `spec` into `outDir` (pure). */
export function goInvocation(spec: GoBinaries, outDir: string): { args: string[]; env: Record<string, string> } {
  const flags = [
    ...GO_FLAGS,
    ...(spec.tags?.length ? ['-tags', spec.tags.join(',')] : []),
    ...(spec.ldflags?.length ? [`-ldflags=${spec.ldflags.join(' ')}`] : []),
  ];
  const cgo: Record<string, string> = spec.cgo === undefined ? {} : { CGO_ENABLED: spec.cgo ? '1' : '0' };
  if (spec.goMod) {
    // -mod=mod: the generated module has no go.sum yet; go records what it resolves.
    return {
      args: ['build', ...flags, '-o', `${outDir}/`, ...spec.packages],
      env: { ...GO_ENV, GOFLAGS: '-mod=mod -buildvcs=false', ...cgo, ...spec.env },
    };
  }
  // `go install pkg@version` rejects -mod, so GOFLAGS is set rather than inherited.
  return {
    args: ['install', ...flags, ...spec.packages.map((p) => `${p}@${spec.version}`)],
    env: { ...GO_ENV, GOFLAGS: '-buildvcs=false', GOBIN: outDir, ...cgo, ...spec.env },
  };
}

/** The compiled relay next to this module; this package's own tests run from src/ and use the build's copy. */
function relayScript(): string {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.ts') ? join(dirname(here), '..', '..', 'dist', 'provision', 'go-relay.js') : join(dirname(here), 'go-relay.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: build @gpio-fleet/test-tools first (npm run build -w @gpio-fleet/test-tools)`);
  return script;
}

function runBuild(label: string, toolchain: GoToolchain, args: string[], cwd: string, env: NodeJS.ProcessEnv, intervalMs: number): void {
  const request: RelayRequest = { label, go: toolchain.go, args, cwd, intervalMs, prefix: '[test-tools]' };
  const res = spawnSync(process.execPath, [relayScript(), JSON.stringify(request)], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const last = res.stdout?.trim().split('\n').pop();
  let result: RelayResult | undefined;
  try {
    result = last ? (JSON.parse(last) as RelayResult) : undefined;
  } catch {
    result = undefined;
  }
  if (!result) throw new Error(`building ${label}: the go relay ended without a result (exit ${res.status ?? res.signal}) ${res.error?.message ?? ''}`);
  if (result.error) throw new Error(`building ${label}: cannot run ${toolchain.go}: ${result.error}`);
  if (result.code !== 0) {
    const said = result.messages.length ? `; go said:\n  ${result.messages.join('\n  ')}` : '';
    throw new Error(`building ${label} failed: "go ${args.slice(0, 1).join(' ')} ..." exited with ${result.code ?? result.signal} after ${Math.round(result.seconds)} s${said}`);
  }
}

function goRunner(label: string, toolchain: GoToolchain, cwd: string, env: NodeJS.ProcessEnv): GoRunner {
  return (args) => {
    const res = spawnSync(toolchain.go, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (res.error) throw new Error(`building ${label}: cannot run go ${args.join(' ')}: ${res.error.message}`);
    if (res.status !== 0) throw new Error(`building ${label}: "go ${args.join(' ')}" failed with exit ${res.status}:\n${res.stderr}`);
    return res.stdout;
  };
}

/** Paths of the tool's binaries, building them first when the cache lacks any. */
export function ensureGoBinaries<B extends string>(spec: GoBinaries<B>, options: GoBuildOptions = {}): Record<B, string> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const label = goLabel(spec);
  const binDir = toolBinDir(spec.name, spec.version, env);
  const pathsIn = (dir: string) => Object.fromEntries(spec.binaries.map((b) => [b, join(dir, b)])) as Record<B, string>;
  const cached = () => (spec.binaries.every((b) => existsSync(join(binDir, b))) ? pathsIn(binDir) : undefined);
  const warm = cached();
  if (warm) return warm;
  // Beside the version's directory, which a failed build removes.
  const versionDir = dirname(binDir);
  mkdirSync(dirname(versionDir), { recursive: true });
  return withBuildLock(`${versionDir}.lock`, label, cached, () => buildGoBinaries(spec, options, binDir, pathsIn), log);
}

function buildGoBinaries<B extends string>(spec: GoBinaries<B>, options: GoBuildOptions, binDir: string, pathsIn: (dir: string) => Record<B, string>): Record<B, string> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const label = goLabel(spec);

  const fallbacks = options.goFallbackDirs ?? GO_FALLBACK_DIRS;
  const toolchain = findGo(env, fallbacks);
  if (!toolchain) {
    throw new Error(
      `${label} is not built yet (${binDir}) and cannot be built: no working "go" in ${goSearchPath(env, fallbacks)}. ` +
        'Install Go (https://go.dev/dl/; Debian\'s golang-go is too old) and run again.',
    );
  }
  if (spec.debianPackages?.length) ensureDebianPackages(spec.debianPackages, { log });

  const tmpBin = `${binDir}.tmp-${process.pid}`;
  const work = join(tmpdir(), `gpio-fleet-go-${spec.name}-${process.pid}`);
  rmSync(tmpBin, { recursive: true, force: true });
  mkdirSync(tmpBin, { recursive: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = Date.now();
  const intervalMs = options.progressIntervalMs ?? 20_000;
  log(`building ${label} from Go modules with ${toolchain.version} into ${binDir} (once per version; a progress line every ${Math.round(intervalMs / 1000)} s)`);
  try {
    const { args, env: goEnv } = goInvocation(spec, tmpBin);
    const runEnv = { ...env, ...goEnv };
    if (spec.goMod) writeFileSync(join(work, 'go.mod'), spec.goMod(goRunner(label, toolchain, work, runEnv)));
    runBuild(label, toolchain, args, work, runEnv, intervalMs);
    for (const [from, to] of Object.entries<B>(spec.rename ?? {})) renameSync(join(tmpBin, from), join(tmpBin, to));
    const absent = spec.binaries.filter((b) => !existsSync(join(tmpBin, b)));
    if (absent.length > 0) throw new Error(`building ${label}: go succeeded but produced no ${absent.join(', ')} in ${tmpBin}`);
    spec.verify?.(pathsIn(tmpBin));
    rmSync(binDir, { recursive: true, force: true });
    mkdirSync(dirname(binDir), { recursive: true });
    renameSync(tmpBin, binDir);
  } catch (e) {
    rmSync(tmpBin, { recursive: true, force: true });
    // The version's directory too, unless it holds something (another run's build).
    try {
      rmdirSync(dirname(binDir));
    } catch {
      // not empty, or already gone
    }
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`${label} built in ${Math.round((Date.now() - started) / 1000)} s into ${binDir}`);
  return pathsIn(binDir);
}
