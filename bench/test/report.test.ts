// The report renders whatever a run produced: failed parts and a pending fleet say so.
import { describe, expect, it } from 'vitest';
import { table } from '../src/lib/format.js';
import type { Machine } from '../src/lib/machine.js';
import { markdownReport } from '../src/report.js';

const machine: Machine = { nproc: 2, cpuModel: 'Test CPU', memoryGiB: 8, os: 'Debian', kernel: '6.1.0', node: 'v20.0.0', python: '3.11.2', gpiozero: '1.6.2', wrk: '4.1.0', loadAverage: [0.1, 0.2, 0.3] };

describe('markdownReport', () => {
  it('names the machine and the command, and marks failed and pending parts', () => {
    const md = markdownReport({
      command: 'npm run bench -- --parts 3,6',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalSeconds: 12,
      builds: {},
      machine,
      parts: { trafficTiming: { error: 'traffic-light exited with 1' }, fleet: { status: 'pending', reason: 'not built yet' } },
    });
    expect(md).toContain('`npm run bench -- --parts 3,6`');
    expect(md).toContain('2 × Test CPU, 8 GiB');
    expect(md).toContain('kernel 6.1.0, Node v20.0.0');
    expect(md).toContain('FAILED: traffic-light exited with 1');
    expect(md).toContain('Pending: not built yet');
  });
});

describe('table', () => {
  it('writes a Markdown table with a separator row', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});
