// The shared libraries a dynamically linked ELF file needs, for any architecture: DT_NEEDED
// entries (and theirs) resolved in the directories where the host keeps that architecture's
// libraries, and the program interpreter. Read with readelf, which reads every ELF machine, so
// one walk serves the x64, arm64 and armhf guests (ldd would have to run the foreign loader).
import { existsSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import { run } from './progress.js';

/** The NEEDED sonames in `readelf -dW` output. Pure. */
export function neededLibraries(dynamicSection: string): string[] {
  return [...dynamicSection.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

/** The program interpreter in `readelf -lW` output, if any (static and shared objects have none). Pure. */
export function programInterpreter(programHeaders: string): string | undefined {
  return /\[Requesting program interpreter: ([^\]]+)\]/.exec(programHeaders)?.[1];
}

export interface GuestLibrary {
  /** Absolute path inside the guest. */
  guestPath: string;
  /** The file on the host (symlinks resolved). */
  hostFile: string;
}

/**
 * Every library the files need, once each: the loader at its PT_INTERP path, the rest in
 * `guestDir` (the loader's default search directory). A soname found nowhere fails loudly.
 */
export async function sharedLibraryClosure(files: readonly string[], lib: { guestDir: string; hostDirs: readonly string[] }): Promise<GuestLibrary[]> {
  ensureDebianPackages(['binutils']);
  const out = new Map<string, GuestLibrary>();
  const find = (soname: string, neededBy: string): string => {
    const hit = lib.hostDirs.map((d) => join(d, soname)).find((p) => existsSync(p));
    if (!hit) throw new Error(`${neededBy} needs ${soname}, which is in none of ${lib.hostDirs.join(', ')}`);
    return realpathSync(hit);
  };
  const queue = [...files];
  const seen = new Set<string>();
  const loaders = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const interp = programInterpreter(await run('readelf', ['-lW', file]));
    if (interp && !out.has(interp)) {
      out.set(interp, { guestPath: interp, hostFile: find(basename(interp), file) });
      loaders.add(basename(interp));
    }
    for (const soname of neededLibraries(await run('readelf', ['-dW', file]))) {
      const guestPath = `${lib.guestDir}/${soname}`;
      if (out.has(guestPath) || loaders.has(soname)) continue;
      const hostFile = find(soname, file);
      out.set(guestPath, { guestPath, hostFile });
      queue.push(hostFile);
    }
  }
  return [...out.values()];
}
