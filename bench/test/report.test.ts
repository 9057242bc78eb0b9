// The report renders whatever a run produced: failed parts and a pending fleet say so.
import { describe, expect, it } from 'vitest';
import { table } from '../src/lib/format.js';
import type { Machine } from '../src/lib/machine.js';
import { markdownReport } from '../src/report.js';
import { fleetReport } from '../src/report-fleet.js';

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
    // The fleet has a README block of its own.
    expect(md).not.toContain('### 6. Fleet');
    expect(fleetReport({ status: 'pending', reason: 'not built yet' }, { startedAt: '', command: '', machine })).toContain('Pending: not built yet');
  });
});

describe('fleetReport', () => {
  it('gives the label -> Ready distribution and the CLI figures per fleet size', () => {
    const trial = (cli: number, total: number) => ({ node: 'pi', cliSeconds: cli, labelSeenSeconds: cli, podCreatedSeconds: cli + 0.01, podBoundSeconds: cli + 0.02, readySeconds: total });
    const cost = (command: string, wall: number, rssKb: number) => ({ command, exitCodes: [0, 0, 0], wallSeconds: [wall, wall, wall], maxRssKb: [rssKb, rssKb, rssKb], medianWallSeconds: wall, medianMaxRssKb: rssKb });
    const md = fleetReport(
      {
        status: 'measured',
        nodes: 1005,
        controlPlaneStartSeconds: 14,
        labelToReady: { trials: [trial(0.7, 0.75), trial(0.9, 0.95)], medianSeconds: 0.85, p90Seconds: 0.94, minSeconds: 0.75, maxSeconds: 0.95, medianCliSeconds: 0.8, medianControlPlaneSeconds: 0.05 },
        label: [{ nodes: 1, cliSeconds: 0.7, firstReadySeconds: 0.75, allReadySeconds: 0.75 }],
        rollout: { nodes: 200, helmSeconds: 0.2, seconds: 40, perNodeSeconds: 0.2, fewestReady: 199 },
        cliStatusSeconds: 0.8,
        sizes: [
          { pis: 203, nodes: 205, registerSeconds: 0, labelAllSeconds: 1, commands: [cost('nodes', 0.9, 70_000)] },
          { pis: 1003, nodes: 1005, registerSeconds: 20, labelAllSeconds: 60, commands: [cost('nodes', 1.5, 90_000)] },
        ],
        note: 'kwok plays the kubelets.',
      },
      { startedAt: '2026-01-01T00:00:00.000Z', command: 'npm run bench -- --parts 6', machine },
    );
    expect(md).toContain('median 0.85 s, 90th percentile 0.94 s, range 0.75 s – 0.95 s');
    expect(md).toContain('| command | 203 Pis: wall | 1003 Pis: wall | 203 Pis: peak RSS | 1003 Pis: peak RSS | exit codes |');
    expect(md).toContain('| gpio-fleet nodes | 0.9 s | 1.5 s | 68.4 MiB | 87.9 MiB | 0 |');
  });
});

describe('table', () => {
  it('writes a Markdown table with a separator row', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});
