// Where an image comes from, for its OCI labels and creation time: the app's package.json,
// the repository URL and the git commit. Everything has an override for release pipelines.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedApp, type AppName } from '../apps.js';
import type { AppImageMetadata } from './image-metadata.js';

function git(repo: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** "git+https://host/x.git" or "git@host:x.git" -> "https://host/x"; undefined for local paths. */
export function normalizeRepositoryUrl(url: string): string | undefined {
  let u = url.trim().replace(/^git\+/, '');
  const scp = /^git@([^:]+):(.+)$/.exec(u);
  if (scp) u = `https://${scp[1]}/${scp[2]}`;
  u = u.replace(/^git:\/\//, 'https://').replace(/\.git$/, '');
  return /^https?:\/\//.test(u) ? u : undefined;
}

/** GPIO_FLEET_IMAGE_SOURCE, else the root package.json "repository", else git's origin URL. */
export function repositoryUrl(repo: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GPIO_FLEET_IMAGE_SOURCE) return env.GPIO_FLEET_IMAGE_SOURCE;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { repository?: string | { url?: string } };
  const fromPkg = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const candidates = [fromPkg, git(repo, ['remote', 'get-url', 'origin'])];
  for (const c of candidates) {
    const url = c ? normalizeRepositoryUrl(c) : undefined;
    if (url) return url;
  }
  return undefined;
}

/** GPIO_FLEET_IMAGE_REVISION (e.g. a build from a source tarball), else git rev-parse HEAD;
 *  undefined before the first commit. */
export function gitRevision(repo: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.GPIO_FLEET_IMAGE_REVISION || git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']);
}

/** SOURCE_DATE_EPOCH, else the commit time of HEAD, else 0: never the wall clock, so a
 *  rebuild of the same commit gives the same image. */
export function createdEpoch(repo: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${fromEnv}"`);
    return Number(fromEnv);
  }
  const t = git(repo, ['log', '-1', '--format=%ct']);
  return t ? Number(t) : 0;
}

export function appMetadata(app: AppName, entry: string, repo: string, env: NodeJS.ProcessEnv = process.env): AppImageMetadata {
  const declared = shippedApp(app, repo);
  const meta: AppImageMetadata = {
    app,
    version: declared.version,
    description: declared.description,
    licenses: declared.license,
    port: declared.port,
    entry,
  };
  const revision = gitRevision(repo, env);
  if (revision) meta.revision = revision;
  const source = repositoryUrl(repo, env);
  if (source) meta.source = source;
  return meta;
}
