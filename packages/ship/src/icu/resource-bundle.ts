// Just enough of ICU's binary resource bundles (.res, data format "ResB", formatVersion 2 and
// 3; docs/shipping.md#icu-data-in-node) to read a locale tree's index, res_index.res: its
// top-level table of strings and of tables whose keys are locale IDs. Pure functions over bytes.

/** A resource as far as res_index needs one: a string, or a table of them. */
export type Resource = string | { [key: string]: Resource };

const URES_STRING = 0;
const URES_TABLE = 2;
const URES_TABLE32 = 4;
const URES_TABLE16 = 5;
const URES_STRING_V2 = 6;
const INDEX_KEYS_TOP = 1;
const INDEX_16BIT_TOP = 6;

export function readResourceBundle(item: Buffer): Resource {
  if (item[2] !== 0xda || item[3] !== 0x27 || item.toString('latin1', 12, 16) !== 'ResB') throw new Error('not an ICU resource bundle');
  if (item[8] !== 0) throw new Error('a big-endian resource bundle');
  const formatVersion = item[16]!;
  if (formatVersion < 2 || formatVersion > 3) throw new Error(`resource bundle formatVersion ${formatVersion}: only 2 and 3 are read`);
  const base = item.readUInt16LE(0);
  const u32 = (i: number) => item.readUInt32LE(base + 4 * i);
  const indexLength = u32(1) & 0xff;
  const keysTop = 4 * u32(1 + INDEX_KEYS_TOP);
  const units16 = base + keysTop;
  const units16Top = indexLength > INDEX_16BIT_TOP ? base + 4 * u32(1 + INDEX_16BIT_TOP) : units16;
  const u16 = (i: number) => item.readUInt16LE(units16 + 2 * i);

  const key = (offset: number): string => {
    if (offset >= keysTop) throw new Error('a resource bundle whose keys live in a pool bundle');
    return item.toString('latin1', base + offset, item.indexOf(0, base + offset));
  };
  const string16 = (offset: number): string => {
    const first = u16(offset);
    let start = offset;
    let length: number;
    if ((first & 0xfc00) !== 0xdc00) {
      length = 0;
      while (units16 + 2 * (offset + length) < units16Top && u16(offset + length) !== 0) length++;
    } else if (first < 0xdfef) {
      length = first & 0x3ff;
      start = offset + 1;
    } else if (first < 0xdfff) {
      length = ((first - 0xdfef) << 16) | u16(offset + 1);
      start = offset + 2;
    } else {
      length = (u16(offset + 1) << 16) | u16(offset + 2);
      start = offset + 3;
    }
    return item.toString('utf16le', units16 + 2 * start, units16 + 2 * (start + length));
  };
  const resource = (res: number): Resource => {
    const type = res >>> 28;
    const offset = res & 0x0fffffff;
    switch (type) {
      case URES_STRING_V2:
        return string16(offset);
      case URES_STRING: {
        if (offset === 0) return '';
        const at = base + 4 * offset;
        return item.toString('utf16le', at + 4, at + 4 + 2 * item.readInt32LE(at));
      }
      case URES_TABLE: {
        const out: Record<string, Resource> = {};
        if (offset === 0) return out;
        const at = base + 4 * offset;
        const count = item.readUInt16LE(at);
        // The 16-bit keys are padded to a 32-bit boundary before the 32-bit values.
        const values = at + 2 + 2 * count + ((count + 1) % 2) * 2;
        for (let i = 0; i < count; i++) out[key(item.readUInt16LE(at + 2 + 2 * i))] = resource(item.readUInt32LE(values + 4 * i));
        return out;
      }
      case URES_TABLE32: {
        const out: Record<string, Resource> = {};
        const at = base + 4 * offset;
        const count = item.readInt32LE(at);
        for (let i = 0; i < count; i++) out[key(item.readInt32LE(at + 4 + 4 * i))] = resource(item.readUInt32LE(at + 4 + 4 * count + 4 * i));
        return out;
      }
      case URES_TABLE16: {
        const out: Record<string, Resource> = {};
        const count = u16(offset);
        for (let i = 0; i < count; i++) out[key(u16(offset + 1 + i))] = string16(u16(offset + 1 + count + i));
        return out;
      }
      default:
        throw new Error(`resource type ${type}: not read here`);
    }
  };
  return resource(u32(0));
}
