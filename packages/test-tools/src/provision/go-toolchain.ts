// Finding the machine's Go. Tools that Debian does not package (or packages too old) are built
// from their Go modules, so Go itself is the one prerequisite that is not installed for you:
// Debian's golang-go is older than what these modules need.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Go is usually installed when PATH lacks it (task runners may trim PATH). */
export const GO_FALLBACK_DIRS: readonly string[] = ['/usr/local/go/bin'];

export interface GoToolchain {
  /** Absolute path of the go command. */
  go: string;
  /** `go version` output, e.g. "go version go1.26.8 linux/amd64". */
  version: string;
}

/**
 * The first working go on `env.PATH`, in `$GOROOT/bin`, or in `fallbackDirs`; undefined when
 * there is none (the caller names what it could not build).
 */
export function findGo(env: NodeJS.ProcessEnv = process.env, fallbackDirs: readonly string[] = GO_FALLBACK_DIRS): GoToolchain | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...(env.GOROOT ? [join(env.GOROOT, 'bin')] : []), ...fallbackDirs];
  for (const dir of dirs) {
    const go = join(dir, 'go');
    if (!existsSync(go)) continue;
    const v = spawnSync(go, ['version'], { encoding: 'utf8', env: { ...env, PATH: env.PATH ?? '' } });
    if (v.status === 0) return { go, version: v.stdout.trim() };
  }
  return undefined;
}

/** Where findGo looked, for the error message. */
export function goSearchPath(env: NodeJS.ProcessEnv = process.env, fallbackDirs: readonly string[] = GO_FALLBACK_DIRS): string {
  return [env.PATH ? 'PATH' : 'PATH (empty)', ...(env.GOROOT ? ['$GOROOT/bin'] : []), ...fallbackDirs].join(', ');
}
