// Staging trees that become image layers. Every entry gets a fixed mode (directories and ELF
// files 0755, everything else 0644) so a layer depends only on file contents, never on the
// umask or on how the inputs were unpacked; buildah then sets owner 0:0 and, with
// --timestamp, a fixed mtime.
import { chmodSync, copyFileSync, cpSync, mkdirSync, openSync, readSync, closeSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImageFile } from './shared-libraries.js';

export const NODE_IMAGE_PATH = '/usr/local/bin/node';
export const APP_DIR = '/app';
export const NONROOT_UID = 65534;

/** Account files for uid/gid 65534 only (plus root, which owns the files): node's
 *  os.userInfo() needs a passwd entry for the running uid; nothing here has a login shell. */
export const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n';
export const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

function isElf(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** Give every entry under `root` (and root itself) its canonical mode. */
export function normalizeModes(root: string): void {
  const walk = (path: string): void => {
    const st = statSync(path);
    if (st.isDirectory()) {
      chmodSync(path, 0o755);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      chmodSync(path, isElf(path) ? 0o755 : 0o644);
    }
  };
  walk(root);
}

function place(root: string, imagePath: string): string {
  const target = join(root, imagePath);
  mkdirSync(dirname(target), { recursive: true });
  return target;
}

/** Runtime layer tree: the node binary, its libraries and loader, and /etc/{passwd,group}. */
export function stageRuntimeTree(root: string, nodeBinary: string, libraries: ImageFile[]): string[] {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  copyFileSync(nodeBinary, place(root, NODE_IMAGE_PATH));
  for (const lib of libraries) copyFileSync(lib.hostPath, place(root, lib.imagePath));
  writeFileSync(place(root, '/etc/passwd'), PASSWD);
  writeFileSync(place(root, '/etc/group'), GROUP);
  normalizeModes(root);
  return [NODE_IMAGE_PATH, ...libraries.map((l) => l.imagePath), '/etc/group', '/etc/passwd'].sort();
}

export interface AppTreeInput {
  /** Bundle file name inside /app, e.g. "light-sensor.mjs". */
  entryName: string;
  bundleFile: string;
  /** The native-linux-<arch> directory of the ship build (gpiochip.node, node_modules/ with
   *  onoff and epoll), if the app has native addons. */
  nativeDir?: string;
}

/** App layer tree: /app/<entry> plus the native directory's contents, so /app is what
 *  GPIO_FLEET_NATIVE_DIR points at (/app/gpiochip.node, /app/node_modules/onoff, ...). */
export function stageAppTree(root: string, input: AppTreeInput): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, APP_DIR), { recursive: true });
  if (input.nativeDir) cpSync(input.nativeDir, join(root, APP_DIR), { recursive: true, dereference: true });
  copyFileSync(input.bundleFile, join(root, APP_DIR, input.entryName));
  normalizeModes(root);
}
