// The release build steps behind `npm run build:bundles|build:runtime|build:addons|build:binaries`.
// Each step is cached, so a repeated build only redoes what changed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleNativeDir, buildEpoll, buildGpiochip, type BuiltAddon, type NativeDir } from './addons.js';
import { APP_NAMES, appEntry, binaryName, type AppName } from './apps.js';
import { bundleApp, type Bundle } from './bundle.js';
import { formatBytes, formatDuration, formatTable } from './format.js';
import { cacheRoot, outputDirs } from './paths.js';
import { createProgress, type Progress } from './progress.js';
import { ensureRuntime, loadRuntimePins, type Runtime } from './runtime.js';
import { buildSea, DEFAULT_SEA_SETTINGS, type SeaResult, type SeaSettings } from './sea.js';
import { TARGET_ARCHES, TARGETS, type TargetArch } from './targets.js';
import { ensureHostReady } from './toolchain.js';

export interface BuildOptions {
  arches?: readonly TargetArch[];
  apps?: readonly AppName[];
  /** Output root (default <repo>/dist). */
  dist?: string;
  /** Cache root (default ~/.cache/gpio-fleet). */
  cache?: string;
  /** Entry override per app (default apps/<app>/src/cli.ts). */
  entries?: Partial<Record<AppName, string>>;
  sea?: SeaSettings;
  progress?: Progress;
}

function resolved(o: BuildOptions) {
  return {
    arches: o.arches ?? TARGET_ARCHES,
    apps: o.apps ?? APP_NAMES,
    dirs: outputDirs(o.dist),
    cache: o.cache ?? cacheRoot(),
    progress: o.progress ?? createProgress(),
    sea: o.sea ?? DEFAULT_SEA_SETTINGS,
    entry: (app: AppName) => o.entries?.[app] ?? appEntry(app),
  };
}

export async function buildBundles(options: BuildOptions = {}): Promise<Bundle[]> {
  const o = resolved(options);
  const out: Bundle[] = [];
  for (const app of o.apps) {
    const b = await o.progress.step(`bundle ${app}`, () => bundleApp(app, o.dirs.bundles, o.entry(app)), (b) => `${formatBytes(b.bytes)} → ${b.file}`);
    for (const w of b.warnings) o.progress.info(`esbuild warning: ${w}`);
    out.push(b);
  }
  return out;
}

export async function buildRuntimes(options: BuildOptions = {}): Promise<Runtime[]> {
  const o = resolved(options);
  ensureHostReady(o.arches, (line) => o.progress.info(line));
  const pins = loadRuntimePins();
  const out: Runtime[] = [];
  for (const arch of o.arches) out.push(await ensureRuntime(TARGETS[arch], pins[arch], o.cache, o.progress));
  return out;
}

export async function buildAddons(options: BuildOptions = {}): Promise<NativeDir[]> {
  const o = resolved(options);
  ensureHostReady(o.arches, (line) => o.progress.info(line));
  const pins = loadRuntimePins();
  const out: NativeDir[] = [];
  for (const arch of o.arches) {
    const target = TARGETS[arch];
    const runtime = await ensureRuntime(target, pins[arch], o.cache, o.progress);
    const addon: BuiltAddon = await buildEpoll(target, runtime, o.cache, o.progress);
    const gpiochip = await buildGpiochip(target, o.progress);
    const native = await assembleNativeDir(target, addon, gpiochip, o.dirs.bin);
    o.progress.info(`${native.dir}: gpiochip.node, ${native.packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
    out.push(native);
  }
  return out;
}

export interface BinariesResult {
  binaries: SeaResult[];
  native: NativeDir[];
  ms: number;
}

export async function buildBinaries(options: BuildOptions = {}): Promise<BinariesResult> {
  const o = resolved(options);
  const t0 = performance.now();
  ensureHostReady(o.arches, (line) => o.progress.info(line));
  o.progress.info(`building ${o.apps.join(', ')} for linux ${o.arches.join(', ')}; cache ${o.cache}`);
  const bundles = await buildBundles(options);
  const pins = loadRuntimePins();
  const binaries: SeaResult[] = [];
  const native: NativeDir[] = [];
  for (const arch of o.arches) {
    const target = TARGETS[arch];
    const runtime = await ensureRuntime(target, pins[arch], o.cache, o.progress);
    const addon = await buildEpoll(target, runtime, o.cache, o.progress);
    const gpiochip = await buildGpiochip(target, o.progress);
    native.push(
      await o.progress.step(
        `native-linux-${arch}`,
        () => assembleNativeDir(target, addon, gpiochip, o.dirs.bin),
        (n) => ['gpiochip.node', ...n.packages.map((p) => p.name)].join(', '),
      ),
    );
    for (const bundle of bundles) {
      const result = await o.progress.step(
        `executable ${binaryName(bundle.app, arch)} (node ${runtime.pin.version})`,
        () => buildSea(bundle.app, target, runtime, bundle, o.dirs.bin, o.cache, o.sea),
        (r) => `${formatBytes(r.bytes)}, gzip ${formatBytes(r.gzipBytes)}${r.cached ? ' (cached)' : ''}`,
      );
      binaries.push(result);
    }
  }
  await writeManifest(o.dirs.bin, binaries, native);
  const ms = performance.now() - t0;
  o.progress.info(`done in ${formatDuration(ms)}:\n${summaryTable(binaries)}`);
  return { binaries, native, ms };
}

export function summaryTable(binaries: readonly SeaResult[]): string {
  const rows = [['executable', 'node', 'size', 'gzip'], ...binaries.map((b) => [binaryName(b.app, b.arch), b.nodeVersion, formatBytes(b.bytes), formatBytes(b.gzipBytes)])];
  return formatTable(rows)
    .split('\n')
    .map((l) => `         ${l}`)
    .join('\n');
}

/** dist/bin/manifest.json and SHA256SUMS: what was built, for the image build and for releases. */
async function writeManifest(binDir: string, binaries: readonly SeaResult[], native: readonly NativeDir[]): Promise<void> {
  const manifest = {
    binaries: binaries.map((b) => ({ file: binaryName(b.app, b.arch), app: b.app, arch: b.arch, node: b.nodeVersion, bytes: b.bytes, gzipBytes: b.gzipBytes, sha256: b.sha256 })),
    native: native.map((n) => ({ dir: n.dir.slice(binDir.length + 1), packages: n.packages })),
  };
  await writeFile(join(binDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(binDir, 'SHA256SUMS'), binaries.map((b) => `${b.sha256}  ${binaryName(b.app, b.arch)}\n`).join(''));
}
