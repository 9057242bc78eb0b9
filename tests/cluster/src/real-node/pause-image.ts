// The sandbox ("pause") image every pod starts with, built here: nothing may be pulled from the
// internet. A statically linked C program (native/pause/src/pause.c) in a one-layer image FROM
// scratch, written as an OCI image layout by hand, byte for byte reproducible. Cached in
// <cache>/pause-<key>/oci, where the key is a digest of the source and of this layout writer.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cacheRoot, ensureDebianPackages, type Log } from '@gpio-fleet/test-tools/provision';

/** Bump when the layout below changes: the key, and so the cache entry and tag, change with it. */
const LAYOUT_FORMAT = 'pause-layout-1';

export const PAUSE_SOURCE = fileURLToPath(new URL('../../native/pause/src/pause.c', import.meta.url));

export interface PauseImage {
  /** The OCI layout directory. */
  layout: string;
  /** The layout's reference name, also the tag to push it as. */
  tag: string;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The architecture in OCI terms of the machine the node runs on. */
export function ociArchitecture(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm' };
  const a = map[arch];
  if (!a) throw new Error(`no OCI architecture for ${arch}; accepted: ${Object.keys(map).join(', ')}`);
  return a;
}

function putBlob(layout: string, data: Buffer | string): { digest: string; size: number } {
  const buf = Buffer.from(data);
  const hex = sha256(buf);
  writeFileSync(join(layout, 'blobs', 'sha256', hex), buf);
  return { digest: `sha256:${hex}`, size: buf.length };
}

/**
 * Writes the layout for a pause binary: /pause as the entrypoint, run as 65535 (as the upstream
 * image), one layer whose tar has fixed owners and times.
 */
export function writePauseLayout(pauseBinary: string, layout: string, tag: string, architecture: string): void {
  const work = mkdtempSync(join(tmpdir(), 'gpio-fleet-pause-'));
  try {
    mkdirSync(join(work, 'root'));
    writeFileSync(join(work, 'root', 'pause'), readFileSync(pauseBinary));
    chmodSync(join(work, 'root', 'pause'), 0o755);
    execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', join(work, 'root'), '-cf', join(work, 'layer.tar'), 'pause']);
    const tar = readFileSync(join(work, 'layer.tar'));
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    const layer = putBlob(layout, gzipSync(tar, { level: 9 }));
    const config = putBlob(
      layout,
      JSON.stringify({ architecture, os: 'linux', config: { Entrypoint: ['/pause'], User: '65535:65535' }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(tar)}`] } }),
    );
    const manifest = putBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform: { architecture, os: 'linux' }, annotations: { 'org.opencontainers.image.ref.name': tag } }],
      }),
    );
    writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The pause image's layout, built first when the cache has none for this source. */
export function ensurePauseImage(log: Log, env: NodeJS.ProcessEnv = process.env): PauseImage {
  const source = readFileSync(PAUSE_SOURCE);
  const key = sha256(Buffer.concat([source, Buffer.from(LAYOUT_FORMAT)])).slice(0, 12);
  const tag = `src-${key}`;
  const dir = join(cacheRoot(env), `pause-${tag}`);
  const layout = join(dir, 'oci');
  if (existsSync(join(layout, 'index.json'))) return { layout, tag };

  ensureDebianPackages(['gcc', 'libc6-dev'], { log });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const binary = join(tmp, 'pause');
    // Static: the image has no libc.
    execFileSync('gcc', ['-static', '-Os', '-s', '-Wall', '-Werror', '-o', binary, PAUSE_SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
    writePauseLayout(binary, join(tmp, 'oci'), tag, ociArchitecture());
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`building the pause image from ${PAUSE_SOURCE} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  log(`pause image ${tag} built into ${layout}`);
  return { layout, tag };
}
