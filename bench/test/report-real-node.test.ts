// Part 7's block: the medians with every trial, the bytes, and pending or failed runs said so.
import { describe, expect, it } from 'vitest';
import type { RealNodeTrial } from '../src/parts/real-node.js';
import { realNodeReport } from '../src/report-real-node.js';

const run = { startedAt: '2026-01-01T00:00:00.000Z', command: 'npm run bench -- --parts 7' };
const trial = (cold: number, warm: number, upgrade: number): RealNodeTrial => ({ coldSeconds: cold, coldBytes: 45_600_000, warmSeconds: warm, warmBytes: 0, upgradeSeconds: upgrade, upgradeBytes: 136_000, upgradeTag: 't' });

describe('realNodeReport', () => {
  it('shows each timing\'s median, its trials and what the node pulled', () => {
    const md = realNodeReport(
      {
        status: 'measured',
        trials: [trial(5, 3, 4), trial(7, 4, 9), trial(4, 3, 3)],
        medians: { coldSeconds: 5, coldBytes: 45_600_000, warmSeconds: 3, upgradeSeconds: 4, upgradeBytes: 136_000 },
        nodeStartSeconds: 5.4,
        rebuildSeconds: 11,
        versions: { kubelet: 'v1.37.2', containerd: 'containerd://2.4.2', runc: 'v1.5.3', registry: 'v3.1.2' },
        note: 'A note.',
      },
      run,
    );
    expect(md).toContain('Medians of 3 trials. A note.');
    expect(md).toContain('| `gpio-fleet label real-0` → pod Ready, cold (first pull) | 5 s | 5, 7, 4 | 45.60 MB |');
    expect(md).toContain('| the same after a pod deletion, warm (image cached) | 3 s | 3, 4, 3 | 0.00 MB |');
    expect(md).toContain('→ rollout complete (code-only change) | 4 s | 4, 9, 3 | 0.14 MB |');
    expect(md).toContain('runc 1.5.3');
  });

  it('says when the part is pending or failed', () => {
    expect(realNodeReport({ status: 'pending', reason: 'not built yet' }, run)).toContain('Pending: not built yet');
    expect(realNodeReport({ error: 'kubelet exited' }, run)).toContain('FAILED: kubelet exited');
  });
});
