// Part 5: footprint. Executable sizes (dist/bin/manifest.json, written by the ship build),
// image layers (dist/images and the zstd twins in dist/images-zstd, read with packages/ship's
// OCI layout reader; the zstd ones built first when missing), start-up time to
// the first 200 from /readyz, resident memory after 100 scrapes, and the bytes a Pi pulls to
// update one app after a code-only change, checked by rebuilding the images from a changed
// entry point into a scratch directory.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_NAMES, emulated, shippedApps, TARGETS, writeCodeOnlyChange, type AppName, type TargetArch } from '@gpio-fleet/ship';
import { blobPath, imagesDirName, layerSizeRows, readOciLayout, withBuildLock, type LayerCompression, type LayerSizeRow, type OciLayout } from '@gpio-fleet/ship/images';
import { procMemoryKb } from '@gpio-fleet/test-tools/process-accounting';
import { freePort, start, waitFor } from '@gpio-fleet/test-tools/processes';
import { binaryPath, bundlePath, DIST, imageDir, REPO, type Log } from '../lib/prerequisites.js';
import { median } from '../lib/stats.js';

/** The original system's images (docs/original-system.md#images), as the study reported them. */
export const ORIGINAL_IMAGES = [
  { image: 'naive Python', bytes: 760e6 },
  { image: 'PyInstaller, FROM scratch (light sensor)', bytes: 24.7e6 },
  { image: 'C, FROM scratch (traffic light)', bytes: 2.39e6 },
];

const PLATFORM_OF_ARCH: Record<TargetArch, string> = { x64: 'linux/amd64', arm64: 'linux/arm64', armv7: 'linux/arm/v7' };

/**
 * Read every app's image layout while holding the image build's lock, so a concurrent
 * `npm run build:images` is not caught halfway through rewriting dist/images.
 */
async function readLayouts(log: Log, compression: LayerCompression = 'gzip'): Promise<Record<AppName, OciLayout>> {
  const dir = (app: AppName) => (compression === 'gzip' ? imageDir(app) : join(DIST, imagesDirName(compression), app));
  return withBuildLock(join(DIST, '.build-images.lock'), async () => Object.fromEntries(APP_NAMES.map((app) => [app, readOciLayout(dir(app))])) as Record<AppName, OciLayout>, log);
}

/** The zstd layouts, derived from dist/images by the image build (a no-op when up to date). */
async function zstdLayouts(log: Log): Promise<Record<AppName, OciLayout>> {
  if (APP_NAMES.some((app) => !existsSync(join(DIST, imagesDirName('zstd'), app, 'index.json')))) {
    log('part 5: zstd layouts missing: npm run build:images -- --compression zstd');
    execFileSync('npm', ['run', '--silent', 'build:images', '--', '--compression', 'zstd'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return readLayouts(log, 'zstd');
}

export interface ExecutableRow {
  app: string;
  arch: string;
  node: string;
  bytes: number;
  gzipBytes: number;
}

function executables(): ExecutableRow[] {
  const manifest = JSON.parse(readFileSync(join(DIST, 'bin', 'manifest.json'), 'utf8')) as { binaries: ExecutableRow[] };
  return manifest.binaries.map((b) => ({ app: b.app, arch: b.arch, node: b.node, bytes: b.bytes, gzipBytes: b.gzipBytes }));
}

interface StartSample {
  startupSeconds: number;
  rssKb: number;
  hwmKb: number;
}

/**
 * Start one app, time it to the first 200 from /readyz (polled every 5 ms), scrape /metrics
 * `scrapes` times one after another, let it settle and read its resident memory from /proc.
 */
async function startAndScrape(command: string, args: string[], scrapes: number): Promise<StartSample> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const p = start(command, [...args, '--gpio', 'mock', '--port', String(port), '--host', '127.0.0.1']);
  try {
    await waitFor(`${command} /readyz`, async () => {
      if (p.child.exitCode !== null) throw new Error(`exited early:\n${p.stderr().slice(-2000)}`);
      return (await fetch(`${base}/readyz`)).ok ? true : undefined;
    }, 120_000, 5);
    const startupSeconds = (performance.now() - t0) / 1000;
    for (let i = 0; i < scrapes; i++) {
      const res = await fetch(`${base}/metrics`);
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      await res.text();
    }
    await sleep(1000);
    return { startupSeconds, ...procMemoryKb(p.child.pid!) };
  } finally {
    await p.stop(10_000);
  }
}

interface Variant {
  app: AppName;
  how: string;
  native: boolean;
  command: string;
  args: string[];
}

/** A GPIO service: its main runs packages/runtime's runService, so it takes --gpio mock and is ready after its first reading or phase. */
const isGpioService = (dir: string): boolean => {
  const main = join(dir, 'src', 'main.ts');
  return existsSync(main) && readFileSync(main, 'utf8').includes('runService(');
};

/**
 * The ways each GPIO service is run here: natively on x64, and the ARM executables under
 * qemu-user. The fleet CLI is a command, not a service; the device plugin serves a port but
 * needs a kubelet to register with.
 */
function variants(): Variant[] {
  const out: Variant[] = [];
  for (const app of shippedApps().filter((a) => a.port !== undefined && isGpioService(a.dir)).map((a) => a.name)) {
    out.push({ app, how: 'bundle on host Node (x64)', native: true, command: process.execPath, args: [bundlePath(app)] });
    out.push({ app, how: 'SEA x64', native: true, command: binaryPath(app, 'x64'), args: [] });
    for (const arch of ['arm64', 'armv7'] as const) {
      const [command, args] = emulated(TARGETS[arch], binaryPath(app, arch), []);
      out.push({ app, how: `SEA ${arch} under qemu-user (not representative)`, native: false, command, args });
    }
  }
  return out;
}

/** Every blob digest (index, manifests, configs, layers) of a layout. */
function blobDigests(layout: OciLayout): Set<string> {
  const set = new Set([layout.indexDigest]);
  for (const im of layout.images) {
    set.add(im.manifestDigest);
    set.add(im.manifest.config.digest);
    for (const l of im.manifest.layers) set.add(l.digest);
  }
  return set;
}

export interface PulledBlob {
  kind: string;
  digest: string;
  bytes: number;
}

export interface UpdatePlatform {
  platform: string;
  runtimeLayerShared: boolean;
  appLayerChanged: boolean;
  pulled: PulledBlob[];
  pulledBytes: number;
}

export interface UpdateResult {
  rebuildSeconds: number;
  change: string;
  /** gzip (dist/images). */
  platforms: UpdatePlatform[];
  /** The same update with zstd layers (dist/images-zstd). */
  zstdPlatforms: UpdatePlatform[];
}

/** Per platform, what a node holding `before` downloads for `after`: every blob it does not have. */
function pulledFor(before: OciLayout, afterDir: string): UpdatePlatform[] {
  const after = readOciLayout(afterDir);
  const size = (digest: string) => statSync(blobPath(afterDir, digest)).size;
  const have = blobDigests(before);
  return after.images.map((im) => {
      const old = before.images.find((o) => o.platform === im.platform);
      const blobs = [
        { kind: 'image index', digest: after.indexDigest },
        { kind: 'manifest', digest: im.manifestDigest },
        { kind: 'config', digest: im.manifest.config.digest },
        ...im.manifest.layers.map((l, i) => ({ kind: i === 0 ? 'runtime layer' : 'app layer', digest: l.digest })),
      ].map((b) => ({ ...b, size: size(b.digest) }));
      const pulled = blobs.filter((b) => !have.has(b.digest));
      return {
        platform: im.platform,
        runtimeLayerShared: old?.manifest.layers[0]?.digest === im.manifest.layers[0]?.digest,
        appLayerChanged: old?.manifest.layers[1]?.digest !== im.manifest.layers[1]?.digest,
        pulled: pulled.map((b) => ({ kind: b.kind, digest: b.digest, bytes: b.size })),
        pulledBytes: pulled.reduce((s, b) => s + b.size, 0),
      };
  });
}

/**
 * Rebuild the light-sensor images for the Pi platforms from the changed entry into a scratch
 * dist, gzip and zstd, then list per platform what a node holding the old image must download:
 * every blob of the new image it does not have (runtime layers are content-addressed and
 * shared). The scratch dist starts with a copy of dist/images-zstd, as a developer's would: the
 * zstd step then reuses the unchanged runtime layers, as it does there, instead of spending a
 * minute a platform compressing them again.
 */
async function verifyUpdateBytes(before: OciLayout, zstdBefore: OciLayout, log: Log): Promise<UpdateResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'gpio-fleet-bench-update-'));
  try {
    const entry = writeCodeOnlyChange('light-sensor', scratch, 'bench');
    // The layout and the record of what made it: the zstd step reuses only layers it knows were made with the same settings.
    for (const part of ['light-sensor', 'build-inputs.json']) cpSync(join(DIST, imagesDirName('zstd'), part), join(scratch, 'dist', imagesDirName('zstd'), part), { recursive: true });
    const t0 = performance.now();
    log('part 5: rebuilding the light-sensor images (arm64, armv7), gzip and zstd, after a code-only change, into a scratch dist');
    execFileSync(process.execPath, [join(REPO, 'packages', 'ship', 'dist', 'images', 'cli.js'), '--app', 'light-sensor', '--arch', 'arm64,armv7', '--compression', 'zstd', '--dist', join(scratch, 'dist'), '--entry', `light-sensor=${entry}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const rebuildSeconds = (performance.now() - t0) / 1000;
    return {
      rebuildSeconds,
      change: 'one statement added to apps/light-sensor/src/cli.ts, built as a changed entry',
      platforms: pulledFor(before, join(scratch, 'dist', imagesDirName('gzip'), 'light-sensor')),
      zstdPlatforms: pulledFor(zstdBefore, join(scratch, 'dist', imagesDirName('zstd'), 'light-sensor')),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface FootprintRun {
  app: AppName;
  how: string;
  native: boolean;
  repetitions: number;
  startupSeconds: number;
  rssKb: number;
  samples: StartSample[];
}

export interface FootprintResult {
  executables: ExecutableRow[];
  layers: (LayerSizeRow & { arch: string | undefined })[];
  /** The same images with zstd layers (dist/images-zstd). */
  zstdLayers: LayerSizeRow[];
  runs: FootprintRun[];
  update: UpdateResult | undefined;
  original: typeof ORIGINAL_IMAGES;
  notes: string[];
}

export async function measureFootprint({ scrapes, nativeRepetitions, rebuild, log }: { scrapes: number; nativeRepetitions: number; rebuild: boolean; log: Log }): Promise<FootprintResult> {
  const layouts = await readLayouts(log);
  const layers = APP_NAMES.flatMap((app) => layerSizeRows(app, layouts[app]!));
  const zstd = await zstdLayouts(log);
  const zstdLayers = APP_NAMES.flatMap((app) => layerSizeRows(app, zstd[app]!));
  const runs: FootprintRun[] = [];
  for (const v of variants()) {
    const reps = v.native ? nativeRepetitions : 1;
    log(`part 5: ${v.app}, ${v.how}: start-up to /readyz and RSS after ${scrapes} scrapes (${reps}×)`);
    const samples: StartSample[] = [];
    for (let i = 0; i < reps; i++) samples.push(await startAndScrape(v.command, v.args, scrapes));
    runs.push({
      app: v.app,
      how: v.how,
      native: v.native,
      repetitions: reps,
      startupSeconds: median(samples.map((s) => s.startupSeconds)),
      rssKb: median(samples.map((s) => s.rssKb)),
      samples,
    });
  }
  const update = rebuild ? await verifyUpdateBytes(layouts['light-sensor']!, zstd['light-sensor']!, log) : undefined;
  return {
    executables: executables(),
    layers: layers.map((r) => ({ ...r, arch: Object.entries(PLATFORM_OF_ARCH).find(([, p]) => p === r.platform)?.[0] })),
    zstdLayers,
    runs,
    update,
    original: ORIGINAL_IMAGES,
    notes: [
      'light-sensor is ready after its first reading (0.1 s discharge + charge), traffic-light after its first phase.',
      'Under qemu-user, RSS is the emulator process (translated code and its own heap included) and start-up is emulation-bound: neither says much about a Pi.',
    ],
  };
}
