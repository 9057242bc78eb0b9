// A second build reuses every cached runtime, addon and executable, and produces the same bytes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAMES } from '../src/apps.js';
import { buildBinaries } from '../src/build.js';
import { hashFile } from '../src/files.js';
import { createProgress } from '../src/progress.js';
import { binDir } from './helpers/targets.js';

describe('buildBinaries, warm', () => {
  it('takes everything from the cache and reports it', async () => {
    const before = JSON.parse(await readFile(join(binDir, 'manifest.json'), 'utf8')) as { binaries: { file: string; sha256: string }[] };
    const lines: string[] = [];
    const result = await buildBinaries({ progress: createProgress((l) => lines.push(l)) });
    process.stdout.write(`[ship test] warm build: ${Math.round(result.ms)} ms\n`);
    // One executable per shipped app (apps/*/package.json's "gpio-fleet".ship) and architecture.
    const executables = APP_NAMES.length * 3;
    expect(APP_NAMES.length).toBeGreaterThanOrEqual(2);
    expect(result.binaries).toHaveLength(executables);
    expect(result.binaries.every((b) => b.cached)).toBe(true);
    // Progress still names every step, says "cached", and ends with the size table.
    expect(lines.filter((l) => /runtime .*: cached/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /addon .*: cached/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /✓ executable .*\(cached\)/.test(l))).toHaveLength(executables);
    expect(lines.at(-1)).toMatch(/done in .*\n.*executable.*size.*gzip/);
    for (const b of result.binaries) {
      const listed = before.binaries.find((x) => x.file === b.file.split('/').at(-1));
      expect((await hashFile(b.file, 'sha256')).toString('hex')).toBe(listed?.sha256);
    }
  });
});
