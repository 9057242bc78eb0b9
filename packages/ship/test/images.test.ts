// Unit tests of the image build's pure parts: ELF dependency parsing and the shared-library
// closure, image configuration and labels, layout reading, size tables, tar listing.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHeader, parseInterpreter, parseNeeded, type ElfInfo } from '../src/images/elf-dependencies.js';
import { appConfigArgs, appLabels, type AppImageMetadata } from '../src/images/image-metadata.js';
import { layerSizeMarkdown, layerSizeRows, megabytes } from '../src/images/layer-sizes.js';
import { MEDIA_TYPES, readOciLayout, verifyBlob } from '../src/images/oci-layout.js';
import { IMAGE_PLATFORMS, platformByName, platformName, platformTag } from '../src/images/platforms.js';
import { createdEpoch, normalizeRepositoryUrl } from '../src/images/provenance.js';
import { sharedLibraryClosure } from '../src/images/shared-libraries.js';
import { gzippedTarEntries, tarEntries } from '../src/images/tar-entries.js';

const READELF_D = `
Dynamic section at offset 0x467c684 contains 33 entries:
  Tag        Type                         Name/Value
 0x00000001 (NEEDED)                     Shared library: [libdl.so.2]
 0x00000001 (NEEDED)                     Shared library: [libatomic.so.1]
 0x00000001 (NEEDED)                     Shared library: [ld-linux-armhf.so.3]
 0x0000000e (SONAME)                     Library soname: [libfoo.so.1]
 0x0000000c (INIT)                       0x10c58
`;
const READELF_L = `
  INTERP         0x000174 0x00010174 0x00010174 0x00019 0x00019 R   0x1
      [Requesting program interpreter: /lib/ld-linux-armhf.so.3]
`;
const READELF_H = `ELF Header:
  Class:                             ELF32
  Data:                              2's complement, little endian
  Type:                              EXEC (Executable file)
  Machine:                           ARM
`;

describe('ELF dependency parsing', () => {
  it('reads DT_NEEDED in order and ignores SONAME', () => {
    expect(parseNeeded(READELF_D)).toEqual(['libdl.so.2', 'libatomic.so.1', 'ld-linux-armhf.so.3']);
  });
  it('reads PT_INTERP, and nothing from a library without one', () => {
    expect(parseInterpreter(READELF_L)).toBe('/lib/ld-linux-armhf.so.3');
    expect(parseInterpreter('  LOAD 0x0 0x0\n')).toBeUndefined();
  });
  it('reads class and machine, and rejects non-ELF output', () => {
    expect(parseHeader(READELF_H)).toEqual({ elfClass: 'ELF32', machine: 'ARM' });
    expect(() => parseHeader('readelf: Error: Not an ELF file')).toThrow(/not an ELF/);
  });
});

describe('shared library closure', () => {
  // A small fake file system: what each file needs, and where each soname is.
  const elf = (needed: string[], interpreter?: string, machine = 'AArch64'): ElfInfo => ({ elfClass: 'ELF64', machine, needed, ...(interpreter ? { interpreter } : {}) });
  const files: Record<string, ElfInfo> = {
    '/bin/node': elf(['libstdc++.so.6', 'libc.so.6', 'ld-linux-aarch64.so.1'], '/lib/ld-linux-aarch64.so.1'),
    '/sys/libstdc++.so.6.0.30': elf(['libm.so.6', 'libc.so.6', 'ld-linux-aarch64.so.1', 'libgcc_s.so.1']),
    '/sys/libc.so.6': elf(['ld-linux-aarch64.so.1']),
    '/sys/libm.so.6': elf(['libc.so.6']),
    '/sys/libgcc_s.so.1': elf(['libc.so.6']),
    '/sys/ld-linux-aarch64.so.1': elf([]),
    '/addon/epoll.node': elf(['libstdc++.so.6', 'libc.so.6']),
    '/x86/libc.so.6': elf([], undefined, 'Advanced Micro Devices X86-64'),
  };
  const sonames: Record<string, string> = {
    'libstdc++.so.6': '/sys/libstdc++.so.6.0.30',
    'libc.so.6': '/sys/libc.so.6',
    'libm.so.6': '/sys/libm.so.6',
    'libgcc_s.so.1': '/sys/libgcc_s.so.1',
    'ld-linux-aarch64.so.1': '/sys/ld-linux-aarch64.so.1',
  };
  const tools = (overrides: Record<string, string> = {}) => ({
    inspect: (p: string): ElfInfo => {
      const info = files[p];
      if (!info) throw new Error(`no such file ${p}`);
      return info;
    },
    locate: (s: string): string | undefined => ({ ...sonames, ...overrides })[s],
  });

  it('follows DT_NEEDED transitively and puts the loader at its PT_INTERP path only', () => {
    const closure = sharedLibraryClosure(['/bin/node'], 'aarch64-linux-gnu', tools());
    expect(closure).toEqual([
      { imagePath: '/lib/aarch64-linux-gnu/libc.so.6', hostPath: '/sys/libc.so.6' },
      { imagePath: '/lib/aarch64-linux-gnu/libgcc_s.so.1', hostPath: '/sys/libgcc_s.so.1' },
      { imagePath: '/lib/aarch64-linux-gnu/libm.so.6', hostPath: '/sys/libm.so.6' },
      { imagePath: '/lib/aarch64-linux-gnu/libstdc++.so.6', hostPath: '/sys/libstdc++.so.6.0.30' },
      { imagePath: '/lib/ld-linux-aarch64.so.1', hostPath: '/sys/ld-linux-aarch64.so.1' },
    ]);
  });

  it('gives the same set whether an addon is listed before or after node', () => {
    const a = sharedLibraryClosure(['/addon/epoll.node', '/bin/node'], 'aarch64-linux-gnu', tools());
    const b = sharedLibraryClosure(['/bin/node', '/addon/epoll.node'], 'aarch64-linux-gnu', tools());
    expect(a).toEqual(b);
    expect(a.map((f) => f.imagePath)).not.toContain('/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1');
  });

  it('fails naming the missing library and who needs it', () => {
    expect(() => sharedLibraryClosure(['/bin/node'], 'aarch64-linux-gnu', tools({ 'libm.so.6': undefined as unknown as string }))).toThrow(
      /libm\.so\.6 \(needed by \/sys\/libstdc\+\+\.so\.6\.0\.30\) not found/,
    );
  });

  it('refuses a library built for another CPU', () => {
    expect(() => sharedLibraryClosure(['/bin/node'], 'aarch64-linux-gnu', tools({ 'libc.so.6': '/x86/libc.so.6' }))).toThrow(/X86-64, not AArch64/);
  });
});

describe('platforms', () => {
  it('covers amd64, arm64 and arm/v7 with their Debian library locations', () => {
    expect(IMAGE_PLATFORMS.map(platformName)).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(IMAGE_PLATFORMS.map(platformTag)).toEqual(['amd64', 'arm64', 'armv7']);
    expect(platformByName('armv7')).toBe(platformByName('linux/arm/v7'));
    expect(platformByName('x64').architecture).toBe('amd64');
    expect(() => platformByName('linux/arm/v6')).toThrow(/linux\/amd64, linux\/arm64, linux\/arm\/v7/);
  });
});

describe('image configuration', () => {
  const meta: AppImageMetadata = {
    app: 'light-sensor',
    version: '1.2.3',
    description: 'Measures light',
    licenses: 'Apache-2.0',
    port: 9110,
    entry: 'light-sensor.cjs',
    revision: 'abc123',
    source: 'https://example.org/gpio-fleet',
  };
  const flags = (args: string[], flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));

  it('runs node on the bundle in exec form as uid/gid 65534, with the native dir set', () => {
    const args = appConfigArgs(meta, platformByName('linux/arm/v7'));
    expect(JSON.parse(flags(args, '--entrypoint')[0]!)).toEqual(['/usr/local/bin/node', '/app/light-sensor.cjs']);
    expect(flags(args, '--user')).toEqual(['65534:65534']);
    expect(flags(args, '--env')).toEqual(['GPIO_FLEET_NATIVE_DIR=/app']);
    expect(flags(args, '--arch')).toEqual(['arm']);
    expect(flags(args, '--variant')).toEqual(['v7']);
    expect(flags(args, '--port')).toEqual(['9110/tcp']);
    expect(flags(appConfigArgs(meta, platformByName('linux/amd64')), '--variant')).toEqual([]);
  });

  it('labels title, description, version, revision, source and licenses', () => {
    expect(appLabels(meta)).toEqual({
      'org.opencontainers.image.title': 'light-sensor',
      'org.opencontainers.image.description': 'Measures light',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.source': 'https://example.org/gpio-fleet',
      'org.opencontainers.image.licenses': 'Apache-2.0',
    });
    const { revision: _r, source: _s, ...unknown } = meta;
    expect(Object.keys(appLabels(unknown))).not.toContain('org.opencontainers.image.revision');
  });
});

describe('provenance', () => {
  it('turns repository fields into browsable URLs and rejects local paths', () => {
    expect(normalizeRepositoryUrl('git+https://github.com/o/r.git')).toBe('https://github.com/o/r');
    expect(normalizeRepositoryUrl('git@github.com:o/r.git')).toBe('https://github.com/o/r');
    expect(normalizeRepositoryUrl('/srv/git/r.git')).toBeUndefined();
  });
  it('takes SOURCE_DATE_EPOCH over git and rejects a malformed one', () => {
    expect(createdEpoch('/nonexistent', { SOURCE_DATE_EPOCH: '1700000000' })).toBe(1700000000);
    expect(createdEpoch('/nonexistent', {})).toBe(0);
    expect(() => createdEpoch('/nonexistent', { SOURCE_DATE_EPOCH: '2024-01-01' })).toThrow(/whole seconds/);
  });
});

// A hand-written two-platform layout, nested the way containers/image writes manifest lists.
describe('OCI layout reading and the size table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'images-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (content: string | Buffer): { digest: string; size: number } => {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const hex = createHash('sha256').update(data).digest('hex');
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'sha256', hex), data);
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const runtime = { mediaType: MEDIA_TYPES.layerGzip, ...put(Buffer.alloc(2_500_000, 1)) };
  const manifests = ['amd64', 'arm64'].map((architecture, i) => {
    const config = { mediaType: MEDIA_TYPES.config, ...put(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })) };
    const app = { mediaType: MEDIA_TYPES.layerGzip, ...put(Buffer.alloc(40_000 + i, 2)) };
    const m = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [runtime, app] }));
    return { mediaType: MEDIA_TYPES.manifest, ...m, platform: { os: 'linux', architecture } };
  });
  const index = put(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPES.index, ...index }] }));

  it('follows index.json -> image index -> manifests -> configs', () => {
    const layout = readOciLayout(dir);
    expect(layout.indexDigest).toBe(index.digest);
    expect(layout.images.map((i) => i.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(layout.images[1]!.config.architecture).toBe('arm64');
  });

  it('tabulates the runtime and app layer of each platform', () => {
    const rows = layerSizeRows('demo', readOciLayout(dir));
    expect(rows.map((r) => [r.platform, r.runtimeBytes, r.appBytes])).toEqual([
      ['linux/amd64', 2_500_000, 40_000],
      ['linux/arm64', 2_500_000, 40_001],
    ]);
    const md = layerSizeMarkdown(rows);
    expect(md.split('\n')).toHaveLength(4);
    expect(md).toContain('| demo | linux/arm64 | 2.50 MB | 0.04 MB | 2.54 MB |');
    expect(megabytes(24_700_000)).toBe('24.70 MB');
  });

  it('detects a blob whose content does not match its digest', () => {
    writeFileSync(join(dir, 'blobs', 'sha256', runtime.digest.slice(7)), 'tampered');
    expect(() => verifyBlob(dir, runtime)).toThrow(/has digest sha256:/);
  });
});

describe('tar listing', () => {
  const header = (name: string, type: string, size: number, extra: { mode?: number; uid?: number; mtime?: number; prefix?: string } = {}): Buffer => {
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write(`${(extra.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
    h.write(`${(extra.uid ?? 0).toString(8).padStart(7, '0')}\0`, 108);
    h.write('0000000\0', 116);
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    h.write(`${(extra.mtime ?? 0).toString(8).padStart(11, '0')}\0`, 136);
    h.write(type, 156);
    h.write('ustar\0' + '00', 257);
    if (extra.prefix) h.write(extra.prefix, 345);
    return h;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

  it('lists ustar entries with prefix and PAX long names and sizes', () => {
    const longName = `app/node_modules/${'x'.repeat(120)}/index.js`;
    // "<len> key=value\n", where len counts its own digits too.
    const record = (k: string, v: string): string => {
      const body = ` ${k}=${v}\n`;
      let len = body.length + 1;
      while (len !== body.length + String(len).length) len = body.length + String(len).length;
      return `${len}${body}`;
    };
    const pax = Buffer.from(record('path', longName) + record('size', '5'));
    const tar = Buffer.concat([
      header('bin/', '5', 0, { mode: 0o755, mtime: 7 }),
      header('node', '0', 3, { mode: 0o755, prefix: 'usr/local/bin' }),
      pad(Buffer.from('abc')),
      header('PaxHeaders/x', 'x', pax.length),
      pad(pax),
      header('truncated-name', '0', 0),
      pad(Buffer.from('hello')),
      Buffer.alloc(1024),
    ]);
    const entries = tarEntries(tar);
    expect(entries.map((e) => [e.path, e.type, e.mode, e.size, e.mtime])).toEqual([
      ['bin/', '5', 0o755, 0, 7],
      ['usr/local/bin/node', '0', 0o755, 3, 0],
      [longName, '0', 0o644, 5, 0],
    ]);
    expect(gzippedTarEntries(gzipSync(tar))).toEqual(entries);
  });
});
