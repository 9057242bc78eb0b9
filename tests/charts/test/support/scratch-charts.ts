// Scratch copies of charts/ for tests that break a chart on purpose and check the repair.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { chartsDir } from './paths.js';

/** A scratch directory, removed after the file's tests, and fresh copies of charts/ in it. */
export function scratchCharts(prefix: string): { dir: string; copyOfCharts: () => string } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let copies = 0;
  return {
    dir,
    copyOfCharts: () => {
      const root = join(dir, `charts-${++copies}`);
      cpSync(chartsDir, root, { recursive: true });
      return root;
    },
  };
}
