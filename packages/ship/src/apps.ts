// The apps that become standalone executables, and where their entry points are.
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const APP_NAMES = ['light-sensor', 'traffic-light'] as const;
export type AppName = (typeof APP_NAMES)[number];

export function parseApps(list: string): AppName[] {
  const out: AppName[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(APP_NAMES as readonly string[]).includes(raw)) {
      throw new Error(`unknown app "${raw}": expected a comma-separated list of ${APP_NAMES.join(', ')}`);
    }
    if (!out.includes(raw as AppName)) out.push(raw as AppName);
  }
  if (out.length === 0) throw new Error('no app given');
  return out;
}

/** apps/<app>/src/cli.ts: bundled from TypeScript source, so no prior tsc build is needed. */
export function appEntry(app: AppName, root: string = repoRoot): string {
  return join(root, 'apps', app, 'src', 'cli.ts');
}

/** The file name of an executable in dist/bin. */
export function binaryName(app: AppName, arch: string): string {
  return `${app}-linux-${arch}`;
}
