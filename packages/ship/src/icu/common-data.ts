// The ICU data package a full-icu Node binary carries inside itself: one "common data" blob
// (ICU's .dat format, data format "CmnD") in its read-only data, which ICU finds by its symbol
// and reads through its table of contents. Nothing else points into it, so a smaller package
// with the same layout, written at the same address and followed by zeros, is read the same
// way: the zeros cost nothing once the binary is compressed. Pure functions over bytes; the
// layout: docs/shipping.md#icu-data-in-node.
const MAGIC = [0xda, 0x27];

export interface CommonDataItem {
  /** Without the package prefix: "en.res", "coll/root.res", "cnvalias.icu". */
  name: string;
  /** From the start of the package. */
  offset: number;
  length: number;
}

export interface CommonData {
  /** Where the package starts in the buffer it was found in. */
  offset: number;
  /** Its length, to the end of its last item. */
  length: number;
  /** The item prefix, e.g. "icudt78l" (ICU 78, little-endian). */
  prefix: string;
  items: CommonDataItem[];
}

interface DataHeader {
  headerSize: number;
  littleEndian: boolean;
  format: string;
}

function dataHeader(buf: Buffer, at: number): DataHeader | undefined {
  if (at < 0 || at + 20 > buf.length || buf[at + 2] !== MAGIC[0] || buf[at + 3] !== MAGIC[1]) return undefined;
  return { headerSize: buf.readUInt16LE(at), littleEndian: buf[at + 8] === 0, format: buf.toString('latin1', at + 12, at + 16) };
}

/** The length of a resource bundle item (format "ResB"): its header, then 4 × indexes[URES_INDEX_BUNDLE_TOP]. */
function resourceBundleLength(buf: Buffer, at: number, h: DataHeader): number | undefined {
  const root = at + h.headerSize;
  const indexLength = buf.readUInt32LE(root + 4) & 0xff;
  if (indexLength < 4) return undefined;
  return h.headerSize + 4 * buf.readUInt32LE(root + 4 + 3 * 4);
}

/** Reads the common data package that starts at `at`; throws if it is not one ICU could read. */
export function readCommonData(buf: Buffer, at: number): CommonData {
  const h = dataHeader(buf, at);
  if (h?.format !== 'CmnD') throw new Error(`no ICU common data at offset ${at}`);
  if (!h.littleEndian) throw new Error(`the ICU common data at offset ${at} is big-endian; only little-endian targets are handled`);
  const toc = at + h.headerSize;
  const count = buf.readUInt32LE(toc);
  if (count === 0 || toc + 4 + 8 * count > buf.length) throw new Error(`the ICU common data at offset ${at} has an implausible table of contents (${count} items)`);
  const entries = Array.from({ length: count }, (_, i) => {
    const nameOffset = buf.readUInt32LE(toc + 4 + 8 * i);
    const start = toc + nameOffset;
    const end = buf.indexOf(0, start);
    return { full: buf.toString('latin1', start, end), offset: h.headerSize + buf.readUInt32LE(toc + 8 + 8 * i) };
  });
  const prefix = entries[0]!.full.split('/')[0]!;
  if (!/^icudt\d+l$/.test(prefix)) throw new Error(`the ICU common data at offset ${at} names its items "${entries[0]!.full}", not icudt<version>l/...`);
  // The TOC gives where each item starts; one ends where the next (by offset) begins, and the
  // last at its own length, which only its header knows.
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  const last = byOffset.at(-1)!;
  const lastHeader = dataHeader(buf, at + last.offset);
  const lastLength = lastHeader?.format === 'ResB' ? resourceBundleLength(buf, at + last.offset, lastHeader) : undefined;
  if (lastLength === undefined) throw new Error(`the last ICU data item (${last.full}) is not a resource bundle: its length is unknown`);
  const length = last.offset + lastLength;
  if (at + length > buf.length) throw new Error(`the ICU common data at offset ${at} would end past the end of the file`);
  const lengthOf = new Map(byOffset.map((e, i) => [e.full, (i + 1 < byOffset.length ? byOffset[i + 1]!.offset : length) - e.offset]));
  return {
    offset: at,
    length,
    prefix,
    items: entries.map((e) => {
      if (!e.full.startsWith(`${prefix}/`)) throw new Error(`ICU data item "${e.full}" is outside the package ${prefix}`);
      return { name: e.full.slice(prefix.length + 1), offset: e.offset, length: lengthOf.get(e.full)! };
    }),
  };
}

/** The one ICU common data package in a binary (a full-icu node). Throws when there is none or more than one. */
export function findCommonData(binary: Buffer): CommonData {
  const found: CommonData[] = [];
  for (let i = binary.indexOf(Buffer.from(MAGIC), 2); i !== -1; i = binary.indexOf(Buffer.from(MAGIC), i + 1)) {
    if (binary.toString('latin1', i + 10, i + 14) !== 'CmnD') continue;
    found.push(readCommonData(binary, i - 2));
  }
  if (found.length === 0) throw new Error('no ICU common data in this binary (a small-icu or no-intl build of node?)');
  if (found.length > 1) throw new Error(`${found.length} ICU common data packages in this binary, at ${found.map((f) => f.offset).join(', ')}: expected one`);
  return found[0]!;
}

/** `binary` with its package replaced by `replacement` and zeros to the old package's end. */
export function replaceCommonData(binary: Buffer, data: CommonData, replacement: Buffer): Buffer {
  if (replacement.length > data.length) throw new Error(`the new ICU data (${replacement.length} bytes) is larger than the old (${data.length}): it cannot take its place`);
  const out = Buffer.from(binary);
  out.fill(0, data.offset, data.offset + data.length);
  replacement.copy(out, data.offset);
  return out;
}
