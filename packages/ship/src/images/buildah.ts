// buildah with a private store: its own --root/--runroot and the vfs driver, so builds need no
// daemon, no overlay mounts and nothing from the host's global container storage. Nothing here
// RUNs inside an image, but chroot isolation is set anyway so a future RUN needs no runc.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StorageLocation {
  root: string;
  runroot: string;
}

/** Default private store: ~/.cache/gpio-fleet/buildah (XDG_CACHE_HOME respected). */
export function defaultStorage(): StorageLocation {
  const base = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gpio-fleet', 'buildah');
  return { root: join(base, 'storage'), runroot: join(base, 'run') };
}

export class Buildah {
  constructor(readonly storage: StorageLocation) {
    mkdirSync(storage.root, { recursive: true });
    mkdirSync(storage.runroot, { recursive: true });
  }

  /** Global flags that pin every call to the private vfs store. */
  get storageFlags(): string[] {
    return ['--root', this.storage.root, '--runroot', this.storage.runroot, '--storage-driver', 'vfs'];
  }

  /** Run buildah and return its trimmed stdout; throws with buildah's stderr on failure. */
  run(args: string[]): string {
    try {
      return execFileSync('buildah', [...this.storageFlags, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, BUILDAH_ISOLATION: 'chroot', STORAGE_DRIVER: 'vfs' },
        maxBuffer: 64 * 1024 * 1024,
      }).trim();
    } catch (e) {
      const err = e as { stderr?: string; status?: number };
      throw new Error(`buildah ${args.join(' ')} failed (exit ${err.status}): ${err.stderr?.trim() ?? String(e)}`, { cause: e });
    }
  }

  /** True when `ref` names an image in the private store. */
  hasImage(ref: string): boolean {
    try {
      this.run(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref]);
      return true;
    } catch {
      return false;
    }
  }

  hasManifestList(ref: string): boolean {
    try {
      this.run(['manifest', 'exists', ref]);
      return true;
    } catch {
      return false;
    }
  }
}
