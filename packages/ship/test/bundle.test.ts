// The bundle step with real esbuild: CommonJS output with native packages left external, and
// a clear refusal of what an SEA cannot run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, workspaceSources } from '../src/bundle.js';
import { repoRoot } from '../src/paths.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ship-bundle-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bundleApp', () => {
  it('bundles workspace packages from source and leaves native packages external', async () => {
    const entry = join(dir, 'entry.ts');
    await writeFile(
      entry,
      [
        "import { createRequire } from 'node:module';",
        "import { parsePin } from '@gpio-fleet/gpio';",
        'const req = createRequire(process.execPath);',
        "export const load = () => req('onoff');",
        "console.log(String(parsePin('BOARD7')));",
      ].join('\n'),
    );
    const b = await bundleApp('light-sensor', join(dir, 'out'), entry);
    const text = await readFile(b.file, 'utf8');
    expect(b.file.endsWith('light-sensor.cjs')).toBe(true);
    expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Compiled from packages/gpio/src, not from a dist/ that may be stale or missing.
    expect(text).toMatch(/\/\/ \S*gpio\/src\/pins\/parse\.ts/);
    expect(text).not.toMatch(/onoff\.js|class Gpio/);
  });

  it('refuses dynamic import() of an external package', async () => {
    const entry = join(dir, 'dynamic.ts');
    await writeFile(entry, "export async function load() { return import('pigpio'); }\n");
    await expect(bundleApp('traffic-light', join(dir, 'out'), entry)).rejects.toThrow(/dynamic import\(\).*\n.*import\("pigpio"\)/);
  });

  it('maps every workspace package with a src/index.ts', () => {
    const sources = workspaceSources(repoRoot);
    expect(sources.get('@gpio-fleet/gpio')).toBe(join(repoRoot, 'packages', 'gpio', 'src', 'index.ts'));
    expect(sources.get('@gpio-fleet/runtime')).toBe(join(repoRoot, 'packages', 'runtime', 'src', 'index.ts'));
  });
});
