// A newc ("070701") cpio writer, the format the kernel unpacks as an initramfs. Written here
// so the archive can hold root-owned files, device nodes and exact modes without running as
// root or depending on the host's cpio.
import { open } from 'node:fs/promises';

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer; mode?: number; uid?: number; gid?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** The header and name of one entry, padded so the data starts on a 4-byte boundary. Pure. */
export function cpioHeader(
  ino: number,
  name: string,
  fields: { mode: number; uid: number; gid: number; size: number; rdevMajor: number; rdevMinor: number },
): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const head =
    '070701' +
    [ino, fields.mode, fields.uid, fields.gid, 1, 0, fields.size, 0, 0, fields.rdevMajor, fields.rdevMinor, nameBytes.length, 0]
      .map(hex8)
      .join('');
  const headerLen = head.length + nameBytes.length;
  return Buffer.concat([Buffer.from(head, 'ascii'), nameBytes, Buffer.alloc(pad4(headerLen))]);
}

function describe(e: CpioEntry): { mode: number; uid: number; gid: number; data: Buffer; rdevMajor: number; rdevMinor: number } {
  switch (e.kind) {
    case 'dir':
      return { mode: S_IFDIR | (e.mode ?? 0o755), uid: 0, gid: 0, data: Buffer.alloc(0), rdevMajor: 0, rdevMinor: 0 };
    case 'file':
      return { mode: S_IFREG | (e.mode ?? 0o644), uid: e.uid ?? 0, gid: e.gid ?? 0, data: e.data, rdevMajor: 0, rdevMinor: 0 };
    case 'symlink':
      return { mode: S_IFLNK | 0o777, uid: 0, gid: 0, data: Buffer.from(e.target), rdevMajor: 0, rdevMinor: 0 };
    case 'chardev':
      return { mode: S_IFCHR | (e.mode ?? 0o600), uid: 0, gid: 0, data: Buffer.alloc(0), rdevMajor: e.major, rdevMinor: e.minor };
  }
}

/** Parent directories first, each once: the kernel does not create missing parents. */
export function withParents(entries: readonly CpioEntry[]): CpioEntry[] {
  const dirs = new Set(entries.filter((e) => e.kind === 'dir').map((e) => e.path));
  const out: CpioEntry[] = [];
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (p && !dirs.has(p)) {
        dirs.add(p);
        out.push({ kind: 'dir', path: p });
      }
    }
    out.push(e);
  }
  return out;
}

/** Write `entries` (paths relative, no leading slash) as an uncompressed newc archive. */
export async function writeCpio(file: string, entries: readonly CpioEntry[]): Promise<number> {
  const fh = await open(file, 'w');
  let written = 0;
  const put = async (b: Buffer): Promise<void> => {
    if (b.length === 0) return;
    await fh.write(b);
    written += b.length;
  };
  try {
    let ino = 1;
    for (const e of withParents(entries)) {
      const d = describe(e);
      await put(cpioHeader(ino++, e.path, { mode: d.mode, uid: d.uid, gid: d.gid, size: d.data.length, rdevMajor: d.rdevMajor, rdevMinor: d.rdevMinor }));
      await put(d.data);
      await put(Buffer.alloc(pad4(d.data.length)));
    }
    await put(cpioHeader(ino, 'TRAILER!!!', { mode: 0, uid: 0, gid: 0, size: 0, rdevMajor: 0, rdevMinor: 0 }));
  } finally {
    await fh.close();
  }
  return written;
}
