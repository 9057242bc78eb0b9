// Running our own built apps the way a user does, and reading what they print.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, jsonLines, start, waitFor, type Started } from './processes.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const appCli = (app: 'light-sensor' | 'traffic-light'): string => join(REPO_ROOT, 'apps', app, 'dist', 'cli.js');

/** JSON log records an app has written to stderr so far. */
export function logRecords(p: Started): Record<string, unknown>[] {
  return jsonLines(p.stderr());
}

/** Start an app with the node running the tests; resolves once it serves metrics. */
export async function startApp(
  app: 'light-sensor' | 'traffic-light',
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ proc: Started; url: string }> {
  const proc = start(process.execPath, [appCli(app), '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...env },
  });
  const url = await waitFor(`${app} to serve metrics`, () => {
    if (proc.child.exitCode !== null) throw new Error(`${app} exited early:\n${proc.stderr()}`);
    const rec = logRecords(proc).find((r) => r.msg === 'serving metrics');
    return rec ? String(rec.url).replace(/\/metrics$/, '') : undefined;
  });
  return { proc, url };
}

/**
 * Start an app on `args` (one that cannot start: a GPIO it cannot drive) and ask its /readyz
 * every 10 ms until it exits: the statuses it answered ('no answer' while nothing listened)
 * and how it ended.
 */
export async function readyzUntilExit(app: 'light-sensor' | 'traffic-light', args: string[]): Promise<{ proc: Started; answers: Set<number | string>; code: number | null }> {
  const port = await freePort();
  const proc = start(process.execPath, [appCli(app), ...args, '--host', '127.0.0.1', '--port', String(port)]);
  const answers = new Set<number | string>();
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (!exited) {
    answers.add(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 'no answer'));
    await new Promise((r) => setTimeout(r, 10));
  }
  return { proc, answers, code: (await proc.exited).code };
}

/** The text between `<!-- begin:NAME -->` and `<!-- end:NAME -->` in a README of the repository (default: the root one). */
export function readmeBlock(name: string, file = 'README.md'): string {
  const doc = readFileSync(join(REPO_ROOT, file), 'utf8');
  const m = new RegExp(`<!-- begin:${name} -->\\n([\\s\\S]*?)\\n<!-- end:${name} -->`).exec(doc);
  if (!m) throw new Error(`${file} has no block ${name}`);
  return m[1]!;
}

/** A README of the repository (default: the root one), e.g. `apps/light-sensor/README.md`. */
export const readme = (file = 'README.md'): string => readFileSync(join(REPO_ROOT, file), 'utf8');

/**
 * Build the standalone executables for `arches` with the release tooling (cached, so a
 * second call takes seconds). Suites that test "our executables" call this in their setup,
 * so they never silently test something else.
 */
export function ensureExecutables(arches: readonly ('x64' | 'arm64' | 'armv7')[]): void {
  const r = spawnSync('npm', ['run', '--silent', 'build:binaries', '--', '--arch', arches.join(',')], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build:binaries -- --arch ${arches.join(',')} failed with exit ${r.status}`);
}
