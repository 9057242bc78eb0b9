// An app's entry point with a code-only change: what a release that touches only the app's own
// code looks like to the image build (`--entry APP=FILE`). The bench and the real-node update
// scenario build images from it to show what a node downloads for such an update.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shippedApp, type AppName } from './apps.js';
import { repoRoot } from './paths.js';

/**
 * Writes `<dir>/<app>-changed.ts`: the app's entry with one statement added that records `mark`.
 * Relative imports become absolute, so the file can live outside the app.
 */
export function writeCodeOnlyChange(app: AppName, dir: string, mark: string, root: string = repoRoot): string {
  const entry = shippedApp(app, root).entry;
  const src = dirname(entry);
  const text = readFileSync(entry, 'utf8')
    .replace(/^#!.*\n/, '')
    .replace(/from '(\.{1,2}\/[^']+)'/g, (_m, f: string) => `from '${join(src, f)}'`);
  const file = join(dir, `${app}-changed.ts`);
  writeFileSync(file, `${text}\n// A code-only change.\n(globalThis as Record<string, unknown>).gpioFleetCodeChange = ${JSON.stringify(mark)};\n`);
  return file;
}
