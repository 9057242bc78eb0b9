// Small file helpers shared by the build steps: hashes, sizes, atomic cache entries.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseElfHeader, type ElfInfo } from './elf.js';

export async function hashFile(file: string, algorithm: 'sha256' | 'sha512'): Promise<Buffer> {
  const h = createHash(algorithm);
  await pipeline(createReadStream(file), h);
  return h.digest();
}

/** npm's Subresource Integrity form: "sha512-<base64>". */
export async function fileIntegrity(file: string): Promise<string> {
  return `sha512-${(await hashFile(file, 'sha512')).toString('base64')}`;
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/** Size after gzip -6 (what a download or a registry layer roughly costs). */
export async function gzipSize(file: string): Promise<number> {
  let n = 0;
  // A sink that only counts: pipeline's last stage may be an async function of the stream.
  await pipeline(createReadStream(file), createGzip({ level: 6 }), async (src: AsyncIterable<Buffer>) => {
    for await (const chunk of src) n += chunk.length;
  });
  return n;
}

export async function readElf(file: string): Promise<ElfInfo> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(20);
    await fh.read(buf, 0, 20, 0);
    return parseElfHeader(buf);
  } finally {
    await fh.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Build a cache entry in a scratch directory next to `dir` and move it into place only when
 * `fill` succeeds, so an interrupted build never leaves a half-written entry behind.
 */
export async function populateAtomically(dir: string, fill: (scratch: string) => Promise<void>): Promise<void> {
  const scratch = `${dir}.partial-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  try {
    await fill(scratch);
    await mkdir(dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
  } catch (e) {
    await rm(scratch, { recursive: true, force: true });
    throw e;
  }
}
