// Lists the entries of a (gzipped) layer tarball with their metadata, to check what an image
// layer holds (no shell, owners 0:0, fixed times) without unpacking it. Understands ustar
// headers, the ustar name prefix and PAX path/size records, which is what buildah writes.
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** '0' file, '5' directory, '2' symlink, '1' hard link, ... */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
}

function text(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? raw.length : nul).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const s = text(block, offset, length).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** PAX extended header records: "<len> <key>=<value>\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space === -1) break;
    const len = Number(data.subarray(i, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

export function tarEntries(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const type = text(header, 156, 1) || '0';
    // A PAX record overrides the header's size for the entry it precedes.
    const size = type !== 'x' && pax.size !== undefined ? Number(pax.size) : octal(header, 124, 12);
    const dataStart = offset + 512;
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = paxRecords(tar.subarray(dataStart, dataStart + size));
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    entries.push({
      path: pax.path ?? (prefix ? `${prefix}/${name}` : name),
      type,
      mode: octal(header, 100, 8),
      uid: pax.uid !== undefined ? Number(pax.uid) : octal(header, 108, 8),
      gid: pax.gid !== undefined ? Number(pax.gid) : octal(header, 116, 8),
      size,
      mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : octal(header, 136, 12),
      linkname: pax.linkpath ?? text(header, 157, 100),
    });
    pax = {};
  }
  return entries;
}

export function gzippedTarEntries(gz: Buffer): TarEntry[] {
  return tarEntries(gunzipSync(gz));
}
