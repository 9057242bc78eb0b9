// Chart archives (.tgz) written byte for byte the same every time: helm's own `helm package`
// stamps every entry with the current time, so committing its output would change the file on
// each refresh. Same layout as helm's (ustar entries for the files only, mode 0644, owner 0:0,
// no user or group names), but mtime 0 and a gzip header without a timestamp.
import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

/** A NUL-terminated octal field of the given width. */
function octal(value, width) {
  const text = value.toString(8).padStart(width - 1, '0');
  if (text.length > width - 1) throw new Error(`tar: ${value} does not fit in ${width} bytes`);
  return `${text}\0`;
}

/** Splits a path into ustar's prefix (155 bytes) and name (100 bytes) fields. */
function splitName(path) {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`tar: path too long for a ustar header: ${path}`);
}

function header(path, size) {
  const h = Buffer.alloc(BLOCK);
  const { prefix, name } = splitName(path);
  h.write(name, 0, 100);
  h.write(octal(0o644, 8), 100);
  h.write(octal(0, 8), 108); // uid
  h.write(octal(0, 8), 116); // gid
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136); // mtime
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write('0', 156); // regular file
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/**
 * The uncompressed tar stream of the entries, in the order given.
 * @param {{ name: string, data: Buffer }[]} entries
 */
export function tarBytes(entries) {
  const parts = [];
  for (const { name, data } of entries) {
    parts.push(header(name, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** The .tgz of the entries: the tar stream, gzipped at level 9 (gzip's header has no mtime). */
export function tgzBytes(entries) {
  return gzipSync(tarBytes(entries), { level: 9 });
}

const field = (h, start, length) => {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
};

/**
 * The regular files of a tar or tar.gz archive (helm's, GNU tar's or ours), in archive order.
 * Directory entries are skipped; pax headers' paths are applied.
 * @param {Buffer} archive
 * @returns {{ name: string, data: Buffer }[]}
 */
export function readArchive(archive) {
  const tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const out = [];
  let paxPath;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 0x30);
    const data = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      // "<len> path=<value>\n" records
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    const prefix = field(h, 345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    paxPath = undefined;
    if (type === '5' || type === 'g') continue;
    if (type !== '0') throw new Error(`tar: entry ${name} has type ${JSON.stringify(type)}; only regular files are expected in a chart`);
    out.push({ name, data: Buffer.from(data) });
  }
  return out;
}

/** The tar stream inside a .tgz. */
export const untgz = (archive) => gunzipSync(archive);
