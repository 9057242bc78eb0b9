// What `npm run bench` needs before it measures anything, installed or built when missing:
// Debian tools (GNU time, wrk, gpiozero, qemu for the ARM start-up figures, all through
// @gpio-fleet/test-tools' provisioning), and the release artefacts (app builds, bundles,
// executables, images), whose build time is recorded.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NAMES, hostRequirements, TARGET_ARCHES, type AppName, type TargetArch } from '@gpio-fleet/ship';
import { ensureDebianPackages, ensureGpiozero as provisionGpiozero } from '@gpio-fleet/test-tools/provision';

export type Log = (line: string) => void;
/** Build durations in seconds, by npm script. */
export type Builds = Record<string, number>;

export const REPO = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '');
export const DIST = join(REPO, 'dist');

/** gpiozero from Debian (python3-gpiozero), else pip into a venv in the cache. Returns the python that imports it. */
export function ensureGpiozero(log: Log): string {
  return provisionGpiozero({ log });
}

/**
 * GNU time, wrk, and what building the executables for every target and running the ARM ones
 * under qemu needs (packages/ship lists it).
 */
export function ensureTools(log: Log): void {
  const { packages, architectures } = hostRequirements(TARGET_ARCHES);
  ensureDebianPackages(['time', 'wrk', ...packages], { architectures, log });
}

/** A root npm script; its output goes straight to the terminal (long builds print progress). */
function npmRun(script: string): number {
  const t0 = performance.now();
  execFileSync('npm', ['run', script], { cwd: REPO, stdio: 'inherit' });
  return (performance.now() - t0) / 1000;
}

/** Where the runnable artefacts are read from: dist/, or a private snapshot of it (below). */
let runnableRoot = DIST;
export const bundlePath = (app: AppName): string => join(runnableRoot, 'bundles', `${app}.cjs`);
export const binaryPath = (app: AppName, arch: TargetArch): string => join(runnableRoot, 'bin', `${app}-linux-${arch}`);

const runnables = (): string[] => [...APP_NAMES.map(bundlePath), ...APP_NAMES.flatMap((app) => TARGET_ARCHES.map((arch) => binaryPath(app, arch)))];

/**
 * Hard-link the bundles and executables into `dir` and run those from then on. Other workers
 * may rebuild dist/ while the benchmark runs; a build writes new files, so the links keep the
 * versions the run started with. Falls back to copying across file systems.
 * @returns removes the snapshot
 */
export function snapshotRunnables(dir: string): () => void {
  for (const f of runnables()) {
    const to = join(dir, f.slice(DIST.length + 1));
    mkdirSync(join(to, '..'), { recursive: true });
    try {
      linkSync(f, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      copyFileSync(f, to);
    }
  }
  runnableRoot = dir;
  return () => {
    runnableRoot = DIST;
    rmSync(dir, { recursive: true, force: true });
  };
}
export const imageDir = (app: AppName): string => join(DIST, 'images', app);
export const appCli = (app: AppName): string => join(REPO, 'apps', app, 'dist', 'cli.js');

function buildIfMissing(name: string, missing: string[], script: string, built: Builds, log: Log): void {
  if (missing.length === 0) return;
  log(`${name} missing (${missing[0]}${missing.length > 1 ? `, +${missing.length - 1} more` : ''}): npm run ${script}`);
  built[script] = npmRun(script);
}

/** `npm run build` when the workspace builds the benchmark runs are missing. */
export function ensureWorkspaceBuild(built: Builds, log: Log): void {
  const needed = [...APP_NAMES.map(appCli), ...['ship', 'test-tools', 'gpio'].map((p) => join(REPO, 'packages', p, 'dist', 'index.js'))];
  buildIfMissing('workspace builds', needed.filter((f) => !existsSync(f)), 'build', built, log);
}

/**
 * Executables and images, built when missing and when the chosen parts use them (after
 * ensureWorkspaceBuild and ensureTools).
 */
export function ensureReleaseArtefacts(built: Builds, log: Log, need: { executables: boolean; images: boolean }): void {
  if (need.executables) {
    const binaries = [...runnables(), join(DIST, 'bin', 'manifest.json')];
    buildIfMissing('executables', binaries.filter((f) => !existsSync(f)), 'build:binaries', built, log);
  }
  if (need.images) {
    const images = APP_NAMES.map((app) => join(imageDir(app), 'index.json'));
    buildIfMissing('images', images.filter((f) => !existsSync(f)), 'build:images', built, log);
  }
}
