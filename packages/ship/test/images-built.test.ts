// The real images: built by `npm run build:images -- --compression zstd` in the setup (a no-op
// when dist/images and dist/images-zstd are up to date with their inputs), then inspected as OCI
// layouts, unpacked and run as root filesystems on every platform (amd64 natively, arm64 and
// arm/v7 under qemu-user in a chroot), rebuilt from scratch to prove reproducibility of both
// compressions, and run with podman. images-zstd.test.ts checks the zstd layouts themselves.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages, freePort, waitFor } from '@gpio-fleet/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_NAMES, type AppName } from '../src/apps.js';
import { outputDirs, repoRoot } from '../src/paths.js';
import { readElf } from '../src/images/elf-dependencies.js';
import { imagesDirName } from '../src/images/compression.js';
import { readBlob, readOciLayout, verifyBlob, type LayoutImage, type OciLayout } from '../src/images/oci-layout.js';
import { IMAGE_PLATFORMS, platformName, type ImagePlatform } from '../src/images/platforms.js';
import { gzippedTarEntries, type TarEntry } from '../src/images/tar-entries.js';
import { ICU_PROBE_SCRIPT, type IcuProbe } from '../src/icu/trim.js';
import { TARGETS } from '../src/targets.js';
import { appVersion, pins } from './helpers/targets.js';

const imagesDir = join(outputDirs().root, imagesDirName('gzip'));
const zstdImagesDir = join(outputDirs().root, imagesDirName('zstd'));
const PLATFORMS = IMAGE_PLATFORMS.map(platformName);
const MOCK_LUX = 250;
const scratch = mkdtempSync(join(tmpdir(), 'gpio-fleet-images-test-'));
const layouts = new Map<AppName, OciLayout>();

function layoutOf(app: AppName): OciLayout {
  const layout = layouts.get(app);
  if (!layout) throw new Error(`no OCI layout read for ${app}`);
  return layout;
}

function image(app: AppName, platform: string): LayoutImage {
  const found = layoutOf(app).images.find((i) => i.platform === platform);
  if (!found) throw new Error(`${app} has no ${platform} image`);
  return found;
}

function layerEntries(app: AppName, platform: string, layer: 0 | 1): TarEntry[] {
  const d = image(app, platform).manifest.layers[layer]!;
  return gzippedTarEntries(readBlob(layoutOf(app).dir, d.digest));
}

function appPackage(app: AppName): { version: string; description: string } {
  return JSON.parse(readFileSync(join(repoRoot, 'apps', app, 'package.json'), 'utf8')) as { version: string; description: string };
}

beforeAll(() => {
  // Same command a developer runs; prints its progress and layer-size tables. With zstd, so the
  // cold builds below have a dist/images-zstd to compare with.
  execFileSync('npm', ['run', 'build:images', '--', '--compression', 'zstd'], { cwd: repoRoot, stdio: 'inherit' });
  for (const app of APP_NAMES) layouts.set(app, readOciLayout(join(imagesDir, app)));
}, 1_800_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('OCI layouts in dist/images', () => {
  it.each(APP_NAMES)('%s has exactly linux/amd64, linux/arm64 and linux/arm/v7, with intact blobs', (app) => {
    const layout = layoutOf(app);
    expect(layout.images.map((i) => i.platform).sort()).toEqual([...PLATFORMS].sort());
    for (const img of layout.images) {
      expect(img.config.os).toBe('linux');
      expect(img.manifest.layers).toHaveLength(2);
      for (const d of [img.manifest.config, ...img.manifest.layers]) verifyBlob(layout.dir, d);
    }
  });

  it.each(PLATFORMS)('%s: every app shares one runtime layer, different from other platforms', (platform) => {
    const runtimeDigests = new Set(APP_NAMES.map((app) => image(app, platform).manifest.layers[0]!.digest));
    expect(runtimeDigests.size).toBe(1);
    const others = PLATFORMS.filter((p) => p !== platform).map((p) => image(APP_NAMES[0]!, p).manifest.layers[0]!.digest);
    expect(others).not.toContain([...runtimeDigests][0]);
    // ...and not just the same digest: the same diff_id in each config.
    expect(new Set(APP_NAMES.map((app) => image(app, platform).config.rootfs.diff_ids[0])).size).toBe(1);
  });

  it.each(APP_NAMES)('%s: the app layer is at most 1 MB compressed on every platform', (app) => {
    for (const img of layoutOf(app).images) expect(img.manifest.layers[1]!.size).toBeLessThanOrEqual(1_000_000);
  });

  it.each(APP_NAMES)('%s: runs node on its bundle in exec form, as 65534, with OCI labels', (app) => {
    const pkg = appPackage(app);
    const head = spawnSync('git', ['-C', repoRoot, 'rev-parse', '--verify', '--quiet', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    for (const img of layoutOf(app).images) {
      const c = img.config.config!;
      expect(c.User).toBe('65534:65534');
      expect(c.Entrypoint).toEqual(['/usr/local/bin/node', `/app/${app}.cjs`]);
      expect(c.Cmd ?? []).toEqual([]);
      expect(c.Env).toContain('GPIO_FLEET_NATIVE_DIR=/app');
      expect(c.StopSignal).toBe('SIGTERM');
      const labels = c.Labels ?? {};
      expect(labels).toMatchObject({
        'org.opencontainers.image.title': app,
        'org.opencontainers.image.description': pkg.description,
        'org.opencontainers.image.version': pkg.version,
        'org.opencontainers.image.licenses': 'Apache-2.0',
      });
      expect(labels['org.opencontainers.image.source']).toMatch(/^https:\/\//);
      if (head) expect(labels['org.opencontainers.image.revision']).toBe(head);
      else expect(labels).not.toHaveProperty('org.opencontainers.image.revision');
    }
    expect(layoutOf(app).index.manifests).toHaveLength(3);
  });
});

describe('layer contents', () => {
  const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'busybox', 'zsh']);

  it.each(PLATFORMS)('%s runtime layer: node, its libraries and loader, passwd/group; root-owned, time 0, no shell', (platform) => {
    const p = IMAGE_PLATFORMS.find((x) => platformName(x) === platform)!;
    const entries = layerEntries('light-sensor', platform, 0);
    const files = entries.filter((e) => e.type === '0').map((e) => e.path);
    expect(files).toContain('usr/local/bin/node');
    expect(files).toContain('etc/passwd');
    expect(files.filter((f) => f.startsWith(`lib/${p.triplet}/libc.so`))).toHaveLength(1);
    for (const f of files) expect(f).toMatch(new RegExp(`^(usr/local/bin/node|etc/(passwd|group)|lib/${p.triplet}/[^/]+\\.so[.0-9]*|lib(64)?/ld-linux[^/]+)$`));
    for (const e of entries) {
      expect([e.path, e.uid, e.gid, e.mtime]).toEqual([e.path, 0, 0, 0]);
      expect(SHELLS.has(e.path.split('/').filter(Boolean).pop() ?? '')).toBe(false);
      expect(e.type === '0' || e.type === '5').toBe(true);
    }
  });

  it.each(APP_NAMES)('%s app layer: only /app (bundle and native addons), root-owned, read-only for the app user', (app) => {
    for (const platform of PLATFORMS) {
      const entries = layerEntries(app, platform, 1);
      expect(entries.map((e) => e.path)).toContain(`app/${app}.cjs`);
      expect(entries.map((e) => e.path)).toContain('app/node_modules/epoll/build/Release/epoll.node');
      expect(entries.map((e) => e.path)).toContain('app/gpiochip.node');
      for (const e of entries) {
        expect(e.path.startsWith('app/')).toBe(true);
        expect([e.uid, e.gid]).toEqual([0, 0]);
        expect(e.mode & 0o022).toBe(0);
      }
    }
  });

  it('passwd and group hold root and nobody (65534) only, with no login shell', () => {
    const root = unpack('light-sensor', 'linux/amd64');
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toMatch(/^nobody:x:65534:65534:[^\n]*:\/sbin\/nologin$/m);
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(join(root, 'etc/group'), 'utf8')).toMatch(/^nogroup:x:65534:$/m);
  });
});

/** Unpack both layers of one image into a fresh directory (cached per image). */
const unpacked = new Map<string, string>();
function unpack(app: AppName, platform: string): string {
  const key = `${app} ${platform}`;
  const done = unpacked.get(key);
  if (done) return done;
  const root = mkdtempSync(join(scratch, 'rootfs-'));
  // The layers carry no entry for / itself; runtimes create it 0755, mkdtemp makes it 0700.
  chmodSync(root, 0o755);
  for (const l of image(app, platform).manifest.layers) {
    execFileSync('tar', ['-xzf', join(layoutOf(app).dir, 'blobs', 'sha256', l.digest.slice(7)), '-C', root]);
  }
  unpacked.set(key, root);
  return root;
}

function elfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...elfFiles(p));
    else if (e.isFile() && statSync(p).size > 4 && readFileSync(p).subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) out.push(p);
  }
  return out;
}

/** Run the image's node as uid 65534 with the unpacked image as its root: nothing from the
 *  host is visible, so a missing library fails here as it would on a Pi. Foreign platforms
 *  go through a static qemu copied into the root. */
function inImage(root: string, p: ImagePlatform, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const qemu = p.architecture === 'amd64' ? [] : [`/${p.architecture === 'arm64' ? 'qemu-aarch64-static' : 'qemu-arm-static'}`];
  if (qemu[0] && !existsSync(join(root, qemu[0]))) copyFileSync(join('/usr/bin', qemu[0]), join(root, qemu[0]));
  const r = spawnSync('/usr/sbin/chroot', ['--userspec=65534:65534', root, ...qemu, '/usr/local/bin/node', ...args], {
    encoding: 'utf8',
    env: { GPIO_FLEET_NATIVE_DIR: '/app' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(IMAGE_PLATFORMS.map((p) => [platformName(p), p] as const))('%s image as a root filesystem', (platform, p) => {
  it('has every DT_NEEDED library and the loader of every ELF file it ships', () => {
    const root = unpack('light-sensor', platform);
    const libs = new Set(readdirSync(join(root, 'lib', p.triplet)));
    for (const file of elfFiles(root).filter((f) => !f.includes('qemu-'))) {
      const info = readElf(file);
      if (info.interpreter) expect(existsSync(join(root, info.interpreter)), `${info.interpreter} for ${file}`).toBe(true);
      for (const soname of info.needed) {
        const isLoader = soname.startsWith('ld-linux');
        expect(isLoader || libs.has(soname), `${soname} needed by ${file}`).toBe(true);
      }
    }
  });

  it.each(APP_NAMES)('runs %s --version on its own node for this architecture', (app) => {
    const r = inImage(unpack(app, platform), p, [`/app/${app}.cjs`, '--version']);
    expect(r.code, r.stderr).toBe(0);
    // e.g. "light-sensor 0.1.0 (node v20.11.0, linux/arm)": the pinned runtime, this CPU.
    expect(r.stdout).toContain(`${app} ${appVersion(app)} `);
    expect(r.stdout).toContain(`node v${pins[p.arch].version}, linux/${TARGETS[p.arch].nodeArch})`);
  });

  it('reads the mock light it is given (light-sensor --once)', () => {
    const r = inImage(unpack('light-sensor', platform), p, ['/app/light-sensor.cjs', '--gpio', 'mock', '--mock-lux', String(MOCK_LUX), '--once']);
    expect(r.code, r.stderr).toBe(0);
    const reading = JSON.parse(r.stdout.trim().split('\n').pop()!) as { lux: number; backend: string; timedOut: boolean };
    expect(reading.backend).toBe('mock');
    expect(reading.timedOut).toBe(false);
    expect(Math.abs(reading.lux - MOCK_LUX) / MOCK_LUX).toBeLessThanOrEqual(0.05);
  });

  it("its node carries English-only ICU data: another locale resolves to en-US, and English answers in full (Japanese words, time zones)", () => {
    const r = inImage(unpack('light-sensor', platform), p, ['-e', ICU_PROBE_SCRIPT]);
    expect(r.code, r.stderr).toBe(0);
    const probe = JSON.parse(r.stdout) as IcuProbe;
    expect(probe).toMatchObject({ defaultLocale: 'en-US', german: 'en-US', supported: ['en-GB'], japaneseWords: 5, tokyoHour: '9 AM', region: 'Germany', nfd: 2 });
    expect(probe.timeZones).toBeGreaterThan(400);
  });

  it('loads its native addons: onoff with epoll from /app/node_modules, and /app/gpiochip.node', () => {
    const script = "const { Gpio } = require('/app/node_modules/onoff'); const chip = require('/app/gpiochip.node'); console.log(typeof Gpio, typeof Gpio.accessible, typeof chip)";
    const r = inImage(unpack('light-sensor', platform), p, ['-e', script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('function boolean object');
  });
});

describe('reproducibility', () => {
  // Two cold builds in fresh buildah stores (and so with nothing to reuse from an earlier zstd
  // layout), one after the other: byte-identical layouts, gzip and zstd. (Not compared with
  // dist/images as a whole: in a tree being edited the bundle may have changed.)
  function coldBuild(): { gzip: OciLayout; zstd: OciLayout } {
    const dist = mkdtempSync(join(scratch, 'dist-'));
    const storage = mkdtempSync(join(scratch, 'buildah-'));
    execFileSync('node', [join(repoRoot, 'packages/ship/dist/images/cli.js'), '--app', 'light-sensor', '--arch', 'x64', '--compression', 'zstd', '--dist', dist, '--storage', storage, '--force'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(storage, { recursive: true, force: true });
    return { gzip: readOciLayout(join(dist, imagesDirName('gzip'), 'light-sensor')), zstd: readOciLayout(join(dist, imagesDirName('zstd'), 'light-sensor')) };
  }
  const runtimeLayer = (layout: OciLayout, platform: string) => layout.images.find((i) => i.platform === platform)!.manifest.layers[0]!.digest;

  it('two cold builds in fresh buildah stores give byte-identical images, gzip and zstd, with the runtime layers of dist/images and dist/images-zstd', () => {
    const [a, b] = [coldBuild(), coldBuild()];
    for (const c of ['gzip', 'zstd'] as const) {
      expect(a[c].images.map((i) => i.platform), c).toEqual(['linux/amd64']);
      expect(b[c].indexDigest, c).toBe(a[c].indexDigest);
      expect(b[c].images[0]!.manifestDigest, c).toBe(a[c].images[0]!.manifestDigest);
    }
    expect(a.zstd.indexDigest).not.toBe(a.gzip.indexDigest);
    expect(runtimeLayer(a.gzip, 'linux/amd64')).toBe(image('light-sensor', 'linux/amd64').manifest.layers[0]!.digest);
    expect(runtimeLayer(a.zstd, 'linux/amd64')).toBe(runtimeLayer(readOciLayout(join(zstdImagesDir, 'light-sensor')), 'linux/amd64'));
  }, 900_000);
});

// podman: the amd64 images as a container runtime runs them (docs/shipping.md#running-the-images: runc, explicit ulimits).
describe('podman', () => {
  let store: string;
  const podman = (args: string[]): string =>
    execFileSync('podman', ['--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const created: { containers: string[]; images: string[] } = { containers: [], images: [] };

  beforeAll(() => {
    ensureDebianPackages(['podman', 'runc']);
    // Short: podman refuses a runroot longer than 50 characters.
    store = mkdtempSync('/tmp/gfp-');
  }, 600_000);

  afterAll(() => {
    for (const c of created.containers) spawnSync('podman', ['--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs', 'rm', '-f', c]);
    for (const i of created.images) spawnSync('podman', ['--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs', 'rmi', '-f', i]);
    rmSync(store, { recursive: true, force: true });
  });

  async function runApp(app: AppName, args: string[]) {
    const id = podman(['pull', '--quiet', '--platform', 'linux/amd64', `oci:${join(imagesDir, app)}`]).split('\n').pop()!;
    created.images.push(id);
    const port = await freePort();
    const name = `gpio-fleet-test-${app}-${process.pid}`;
    created.containers.push(name);
    const containerPort = String(app === 'light-sensor' ? 9110 : 9111);
    podman([
      'run', '--detach', '--name', name,
      '--runtime', 'runc',
      '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024',
      // The defaults the Helm chart uses: read-only root, no capabilities, no privilege gain.
      '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
      '--publish', `127.0.0.1:${port}:${containerPort}`,
      id, '--gpio', 'mock', ...args,
    ]);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${app} /readyz in podman`, async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), 30_000);
    return { name, base };
  }

  function hostUid(name: string): string[] {
    const pid = podman(['inspect', '--format', '{{.State.Pid}}', name]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return [/^Uid:\s+(.*)$/m.exec(status)![1]!.split(/\s+/), /^Gid:\s+(.*)$/m.exec(status)![1]!.split(/\s+/)].flat();
  }

  function stop(name: string): { ms: number; exitCode: string } {
    const t0 = performance.now();
    podman(['stop', '--time', '10', name]);
    const ms = performance.now() - t0;
    return { ms, exitCode: podman(['inspect', '--format', '{{.State.ExitCode}}', name]) };
  }

  it('light-sensor: serves the mock lux on /metrics as uid 65534 and stops on SIGTERM within 2 s', async () => {
    const { name, base } = await runApp('light-sensor', ['--mock-lux', String(MOCK_LUX), '--interval', '200ms']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const lux = /^light_sensor_illuminance_lux(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1];
    expect(lux, metrics).toBeDefined();
    expect(Math.abs(Number(lux) - MOCK_LUX) / MOCK_LUX).toBeLessThanOrEqual(0.05);
    expect(metrics).toMatch(/^gpio_backend_info\{[^}]*backend="mock"[^}]*\} 1$/m);
    expect(hostUid(name)).toEqual(Array(8).fill('65534'));
    const stopped = stop(name);
    // A PID 1 without a SIGTERM handler ignores the signal: podman would wait the full 10 s and kill it (137).
    expect(stopped.exitCode).toBe('0');
    expect(stopped.ms).toBeLessThan(2000);
    process.stdout.write(`[images] light-sensor: podman stop took ${Math.round(stopped.ms)} ms\n`);
  }, 120_000);

  it('traffic-light: serves its metrics as uid 65534 and stops on SIGTERM within 2 s', async () => {
    const { name, base } = await runApp('traffic-light', []);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^traffic_light_lamp_on\{[^}]*lamp="red"[^}]*\} [01]$/m);
    expect(hostUid(name)).toEqual(Array(8).fill('65534'));
    const stopped = stop(name);
    expect(stopped.exitCode).toBe('0');
    expect(stopped.ms).toBeLessThan(2000);
    process.stdout.write(`[images] traffic-light: podman stop took ${Math.round(stopped.ms)} ms\n`);
  }, 120_000);
});
