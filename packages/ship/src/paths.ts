// Where things live: the repository (found from this file, so the tool works from any cwd),
// the release output under <repo>/dist, and the build cache keyed by version.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot as projectCacheRoot } from '@gpio-fleet/test-tools/provision';

/** packages/ship (this file is in src/ when run from source, dist/ when compiled). */
export const shipDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(shipDir, '..', '..');

export interface OutputDirs {
  root: string;
  bundles: string;
  bin: string;
}

export function outputDirs(distRoot: string = join(repoRoot, 'dist')): OutputDirs {
  return { root: distRoot, bundles: join(distRoot, 'bundles'), bin: join(distRoot, 'bin') };
}

/** GPIO_FLEET_CACHE, else the project's cache root ($XDG_CACHE_HOME/gpio-fleet, else ~/.cache/gpio-fleet). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GPIO_FLEET_CACHE) return resolve(env.GPIO_FLEET_CACHE);
  return projectCacheRoot(env);
}
