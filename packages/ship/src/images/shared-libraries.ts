// The exact set of shared libraries a FROM-scratch image needs: the DT_NEEDED closure of its
// binaries, resolved in the platform's host library directories, plus the dynamic loader.
// Libraries land in /lib/<triplet>/ (the path Debian's glibc loader searches by default) and
// the loader at its PT_INTERP path, as real files: no symlinks, no ld.so.cache.
import { existsSync, realpathSync } from 'node:fs';
import { join, posix } from 'node:path';
import { readElf, type ElfInfo } from './elf-dependencies.js';
import type { ImagePlatform } from './platforms.js';

export interface ImageFile {
  /** Absolute path inside the image. */
  imagePath: string;
  /** Real (symlink-resolved) file on the build host. */
  hostPath: string;
}

export interface ClosureTools {
  inspect(hostPath: string): ElfInfo;
  /** Host path of `soname` for this platform, or undefined when no library directory has it. */
  locate(soname: string): string | undefined;
}

/**
 * Libraries (and the loader) that `roots` need, transitively. Pure given `tools`: the
 * traversal and placement rules live here, file-system access in `tools`.
 */
export function sharedLibraryClosure(roots: string[], triplet: string, tools: ClosureTools): ImageFile[] {
  const files = new Map<string, ImageFile>();
  const loaderNames = new Set<string>();
  let machine: string | undefined;
  const check = (hostPath: string, info: ElfInfo, neededBy: string): void => {
    machine ??= info.machine;
    if (info.machine !== machine) {
      throw new Error(`${hostPath} (needed by ${neededBy}) is for ${info.machine}, not ${machine}`);
    }
  };

  const queue: { hostPath: string; neededBy: string }[] = roots.map((r) => ({ hostPath: r, neededBy: 'the image' }));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { hostPath, neededBy } = queue.shift()!;
    if (seen.has(hostPath)) continue;
    seen.add(hostPath);
    const info = tools.inspect(hostPath);
    check(hostPath, info, neededBy);
    if (info.interpreter && !files.has(info.interpreter)) {
      const loaderName = posix.basename(info.interpreter);
      const loader = tools.locate(loaderName);
      if (!loader) throw new Error(`dynamic loader ${loaderName} (interpreter of ${hostPath}) not found for ${triplet}`);
      loaderNames.add(loaderName);
      files.set(info.interpreter, { imagePath: info.interpreter, hostPath: loader });
      queue.push({ hostPath: loader, neededBy: hostPath });
    }
    for (const soname of info.needed) {
      // glibc's loader satisfies a DT_NEEDED on its own soname with itself: no second copy.
      if (loaderNames.has(soname)) continue;
      const imagePath = `/lib/${triplet}/${soname}`;
      if (files.has(imagePath)) continue;
      const lib = tools.locate(soname);
      if (!lib) throw new Error(`shared library ${soname} (needed by ${hostPath}) not found for ${triplet}`);
      files.set(imagePath, { imagePath, hostPath: lib });
      queue.push({ hostPath: lib, neededBy: hostPath });
    }
  }
  // A library reached before the loader was known may have queued the loader by soname.
  for (const name of loaderNames) files.delete(`/lib/${triplet}/${name}`);
  return [...files.values()].sort((a, b) => (a.imagePath < b.imagePath ? -1 : a.imagePath > b.imagePath ? 1 : 0));
}

/** The closure for real files of `platform`, searching its host library directories. */
export function platformSharedLibraries(roots: string[], platform: ImagePlatform): ImageFile[] {
  return sharedLibraryClosure(roots, platform.triplet, {
    inspect: readElf,
    locate(soname) {
      for (const dir of platform.libraryDirs) {
        const candidate = join(dir, soname);
        if (existsSync(candidate)) return realpathSync(candidate);
      }
      return undefined;
    },
  });
}
