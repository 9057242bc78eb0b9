// Processes the tests start: what they printed, including why a spawn failed.
import { describe, expect, it } from 'vitest';
import { jsonLines, start } from '../src/processes.js';

describe('start', () => {
  it('collects output and the exit code', async () => {
    const p = start('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await p.exited).toEqual({ code: 3, signal: null });
    expect(p.stdout()).toBe('out\n');
    expect(p.stderr()).toBe('err\n');
  });

  it('says in stderr why a command could not be started', async () => {
    const p = start('/nonexistent/tool', []);
    expect(await p.exited).toEqual({ code: null, signal: null });
    expect(p.stderr()).toMatch(/spawn failed: .*ENOENT/);
  });
});

describe('jsonLines', () => {
  it('keeps the JSON objects and skips other lines and a line cut off at exit', () => {
    expect(jsonLines('warning: x\n{"msg":"a"}\n{"msg":"b"}\n{"msg":"c')).toEqual([{ msg: 'a' }, { msg: 'b' }]);
  });
});
