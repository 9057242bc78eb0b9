// Code and docs cite only files in the repository, and only ones that exist.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@gpio-fleet/test-tools';
import { findOutsideCitations as find } from './support/citations.js';

describe('citations', () => {
  it('no file cites anything outside the repository, or a docs file or heading that does not exist', () => {
    expect(find(REPO_ROOT)).toEqual([]);
  });

  it('the check finds each kind of bad citation, in comments and prose', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-citations-'));
    try {
      mkdirSync(join(dir, 'docs'));
      writeFileSync(join(dir, 'docs', 'hardware.md'), '# Hardware\n\n## RC physics\n');
      const sheet = ['REFER', 'ENCE'].join('');
      writeFileSync(
        join(dir, 'bad.ts'),
        [
          `// see ${sheet} §3`,
          '// see ../../shared/facts.md',
          '// see docs/nowhere.md',
          '// see docs/hardware.md#no-such-heading',
          '// see docs/hardware.md#rc-physics',
          "const fixture = 'docs/nowhere.md'; // a string in code is data, not a citation",
        ].join('\n'),
      );
      writeFileSync(join(dir, 'notes.md'), 'Read [the physics](docs/hardware.md#rc-physic).\n');
      expect(find(dir).map((f) => `${f.file}:${f.line}`)).toEqual(['bad.ts:1', 'bad.ts:2', 'bad.ts:3', 'bad.ts:4', 'notes.md:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
