// The app charts carry a copy of the library chart, so a plain `helm install` works on a fresh
// clone; the copies must equal charts/gpio-fleet-common, and nothing in charts/ may be
// git-ignored (or a clone would lack it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorDiff } from '../scripts/vendor-common.mjs';
import { appCharts, chartsDir, repoRoot } from './support/paths.js';

describe('vendored library chart', () => {
  it.each(appCharts.map((c) => c.name))('charts/%s/charts/gpio-fleet-common equals charts/gpio-fleet-common', (app) => {
    expect(vendorDiff(app), 'run node tests/charts/scripts/vendor-common.mjs --write').toEqual([]);
  });

  it('notices an edited, added or missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vendor-'));
    try {
      cpSync(chartsDir, dir, { recursive: true });
      const lib = join(dir, 'light-sensor', 'charts', 'gpio-fleet-common');
      writeFileSync(join(lib, 'templates', '_names.tpl'), '{{/* changed */}}');
      writeFileSync(join(lib, 'templates', '_extra.tpl'), '');
      rmSync(join(lib, 'README.md'));
      expect(vendorDiff('light-sensor', dir).sort()).toEqual(['extra file templates/_extra.tpl', 'missing file README.md', 'templates/_names.tpl differs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nothing under charts/ is ignored by git, so a fresh clone has every chart file', () => {
    const res = spawnSync('git', ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', 'charts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe('');
  });
});
