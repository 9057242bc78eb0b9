// Reading the kernel's accounting: GNU time's report and /proc, against real processes.
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchTimed, parseTimeVerbose, procCpuSeconds, procMemoryKb } from '../src/lib/processes.mjs';

beforeAll(() => ensureDebianPackages(['time'])); // GNU time: /usr/bin/time

describe('parseTimeVerbose', () => {
  it('reads CPU, peak RSS and elapsed time from a real /usr/bin/time -v run', async () => {
    // Burn a little CPU and allocate ~50 MB so the figures are clearly non-zero.
    const p = launchTimed(process.execPath, ['-e', 'const b = Buffer.alloc(50e6, 1); let x = 0; for (let i = 0; i < 3e7; i++) x += i; process.exit(b[0] - 1)']);
    const r = await p.result;
    expect(r.exitStatus).toBe(0);
    expect(r.cpuSeconds).toBeGreaterThan(0);
    expect(r.cpuSeconds).toBeCloseTo(r.userSeconds + r.systemSeconds, 6);
    expect(r.maxRssKb).toBeGreaterThan(50_000);
    expect(r.elapsedSeconds).toBeGreaterThan(0);
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
});
