// Where provisioned tools live: one directory per tool and version under the project's cache,
// so changing a pinned version builds that tool once and a warm cache is never rebuilt.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_CACHE_HOME/gpio-fleet, else ~/.cache/gpio-fleet. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpio-fleet');
}

/** <cache>/<name>-<version>/bin: the binaries of one tool at one version. */
export function toolBinDir(name: string, version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `${name}-${version}`, 'bin');
}
