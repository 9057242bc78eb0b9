// Reading the kernel's accounting: GNU time's report and /proc, against real processes.
import { describe, expect, it } from 'vitest';
import { ensureDebianPackages } from '../src/provision/debian.js';
import { childPids, parseTimeVerbose, procCpuSeconds, procMemoryKb, startTimed } from '../src/process-accounting.js';
import { start, waitFor } from '../src/processes.js';

describe('GNU time', () => {
  it('reads CPU, peak RSS and elapsed time from a real /usr/bin/time -v run', async () => {
    ensureDebianPackages(['time']);
    // Burn a little CPU and allocate ~50 MB so the figures are clearly non-zero.
    const p = startTimed(process.execPath, ['-e', 'const b = Buffer.alloc(50e6, 1); let x = 0; for (let i = 0; i < 3e7; i++) x += i; process.exit(b[0] - 1)']);
    const r = await p.result;
    expect(r.exitStatus).toBe(0);
    expect(r.cpuSeconds).toBeGreaterThan(0);
    expect(r.cpuSeconds).toBeCloseTo(r.userSeconds + r.systemSeconds, 6);
    expect(r.maxRssKb).toBeGreaterThan(50_000);
    expect(r.elapsedSeconds).toBeGreaterThan(0);
  });

  it('stops the measured process, not time, so the report is still written', async () => {
    ensureDebianPackages(['time']);
    const p = startTimed(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    // Until node itself runs: stopped between time's fork and the exec, the report is of a
    // sub-megabyte child (580 kB once in CI), which says nothing about what was measured.
    await waitFor('the measured node to start', () => {
      const pid = p.pid();
      return pid !== undefined && procMemoryKb(pid).rssKb > 20_000 ? pid : undefined;
    }, 10_000, 10);
    await p.stop();
    const r = await p.result;
    expect(r.timeExit).not.toBe(0);
    expect(r.maxRssKb).toBeGreaterThan(1000);
  });

  it('names the missing field when the report is not what it expects', () => {
    expect(() => parseTimeVerbose('Command being timed: "x"\n')).toThrow(/User time/);
  });
});

describe('/proc readers', () => {
  it('see this process and nothing once a pid is gone', () => {
    expect(procCpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(procMemoryKb(process.pid).rssKb).toBeGreaterThan(1000);
    expect(procCpuSeconds(2 ** 22 + 1)).toBeUndefined();
  });

  it('list a process’s children', async () => {
    const p = start('sh', ['-c', 'sleep 5 & wait']);
    const kids = await waitFor('the shell to fork', () => {
      const k = childPids(p.child.pid!);
      return k.length > 0 ? k : undefined;
    }, 5000, 10).finally(() => p.stop());
    expect(kids).toHaveLength(1);
  });
});
