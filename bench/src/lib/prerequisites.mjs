// What `npm run bench` needs before it measures anything, installed or built when missing:
// Debian tools (GNU time, wrk, gpiozero, qemu for the ARM start-up figures), and the
// release artefacts (app builds, bundles, executables, images), whose build time is recorded.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
// @gpio-fleet/test-tools and @gpio-fleet/ship are imported only after `npm run build` has
// produced their dist/, so the benchmark can start from a clean clone.

export const REPO = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '');
export const DIST = join(REPO, 'dist');

/** Debian's interpreter: python3-gpiozero installs into its dist-packages (a pyenv python3 on PATH would not see it). */
const DEBIAN_PYTHON = '/usr/bin/python3';

/** The apps (as in packages/ship's APP_NAMES, which cannot be imported before the build). */
const APPS = ['light-sensor', 'traffic-light'];

/** Whether apt knows an installable version of `pkg`. */
function aptHasCandidate(pkg) {
  const out = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' }).stdout ?? '';
  const candidate = /Candidate:\s*(\S+)/.exec(out)?.[1];
  return candidate !== undefined && candidate !== '(none)';
}

/**
 * gpiozero from Debian (python3-gpiozero) when the archive has it, else pip into a venv under
 * ~/.cache/gpio-fleet/bench-venv. Returns the python that imports it.
 * @param {(line: string) => void} log
 */
export async function ensureGpiozero(log) {
  const { ensureDebianPackages } = await import('@gpio-fleet/test-tools');
  if (aptHasCandidate('python3-gpiozero')) {
    ensureDebianPackages(['python3-gpiozero']);
    return DEBIAN_PYTHON;
  }
  const venv = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpio-fleet', 'bench-venv');
  const py = join(venv, 'bin', 'python3');
  if (!existsSync(py)) {
    log(`python3-gpiozero is not in this Debian archive: pip install gpiozero into ${venv}`);
    ensureDebianPackages(['python3-venv']);
    execFileSync(DEBIAN_PYTHON, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  if (spawnSync(py, ['-c', 'import gpiozero'], { stdio: 'ignore' }).status !== 0) {
    execFileSync(py, ['-m', 'pip', 'install', '--quiet', 'gpiozero'], { stdio: 'inherit' });
  }
  return py;
}

/**
 * GNU time, wrk, and what building the executables for every target and running the ARM ones
 * under qemu needs (packages/ship lists it; its build checks but does not install).
 */
export async function ensureTools() {
  const { ensureDebianPackages } = await import('@gpio-fleet/test-tools');
  const { hostRequirements, TARGET_ARCHES } = await import('@gpio-fleet/ship');
  const { packages, architectures } = hostRequirements(TARGET_ARCHES);
  ensureDebianPackages(['time', 'wrk', ...packages], { architectures });
}

/** @param {string} script root npm script; its output goes straight to the terminal (long builds print progress). */
function npmRun(script) {
  const t0 = performance.now();
  execFileSync('npm', ['run', script], { cwd: REPO, stdio: 'inherit' });
  return (performance.now() - t0) / 1000;
}

/** Where the runnable artefacts are read from: dist/, or a private snapshot of it (below). */
let runnableRoot = DIST;
export const bundlePath = (app) => join(runnableRoot, 'bundles', `${app}.cjs`);
export const binaryPath = (app, arch) => join(runnableRoot, 'bin', `${app}-linux-${arch}`);

/**
 * Hard-link the bundles and executables into `dir` and run those from then on. Other workers
 * may rebuild dist/ while the benchmark runs; a build writes new files, so the links keep the
 * versions the run started with. Falls back to copying across file systems.
 * @returns {() => void} removes the snapshot
 */
export async function snapshotRunnables(dir) {
  const { APP_NAMES, TARGET_ARCHES } = await import('@gpio-fleet/ship');
  const files = [...APP_NAMES.map(bundlePath), ...APP_NAMES.flatMap((app) => TARGET_ARCHES.map((arch) => binaryPath(app, arch)))];
  for (const f of files) {
    const to = join(dir, f.slice(DIST.length + 1));
    mkdirSync(join(to, '..'), { recursive: true });
    try {
      linkSync(f, to);
    } catch (e) {
      if (e.code !== 'EXDEV') throw e;
      copyFileSync(f, to);
    }
  }
  runnableRoot = dir;
  return () => {
    runnableRoot = DIST;
    rmSync(dir, { recursive: true, force: true });
  };
}
export const imageDir = (app) => join(DIST, 'images', app);
export const appCli = (app) => join(REPO, 'apps', app, 'dist', 'cli.js');

/** @param {string} name @param {string[]} missing @param {string} script @param {Record<string, number>} built */
function buildIfMissing(name, missing, script, built, log) {
  if (missing.length === 0) return;
  log(`${name} missing (${missing[0]}${missing.length > 1 ? `, +${missing.length - 1} more` : ''}): npm run ${script}`);
  built[script] = npmRun(script);
}

/**
 * `npm run build` when the workspace builds the benchmark imports or runs are missing.
 * @param {Record<string, number>} built  build durations in seconds, by npm script
 */
export function ensureWorkspaceBuild(built, log) {
  const needed = [
    ...APPS.map(appCli),
    ...['ship', 'test-tools', 'gpio'].map((p) => join(REPO, 'packages', p, 'dist', 'index.js')),
  ];
  buildIfMissing('workspace builds', needed.filter((f) => !existsSync(f)), 'build', built, log);
}

/**
 * Executables and images, built when missing (after ensureWorkspaceBuild and ensureTools).
 * @param {Record<string, number>} built  build durations in seconds, by npm script
 */
export async function ensureReleaseArtefacts(built, log) {
  const { APP_NAMES, TARGET_ARCHES } = await import('@gpio-fleet/ship');
  const binaries = [
    ...APP_NAMES.map(bundlePath),
    ...APP_NAMES.flatMap((app) => TARGET_ARCHES.map((arch) => binaryPath(app, arch))),
    join(DIST, 'bin', 'manifest.json'),
  ];
  buildIfMissing('executables', binaries.filter((f) => !existsSync(f)), 'build:binaries', built, log);
  const images = APP_NAMES.map((app) => join(imageDir(app), 'index.json'));
  buildIfMissing('images', images.filter((f) => !existsSync(f)), 'build:images', built, log);
}
