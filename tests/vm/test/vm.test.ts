// Our x64 apps against Debian's real kernel in qemu, with gpio-sim standing in for a Pi 4's
// GPIO chip (label pinctrl-bcm2711, 58 lines, behind a decoy chip so selection by label
// matters). One boot runs every scenario; each test asserts on its RESULT lines.
import { beforeAll, describe, expect, it } from 'vitest';
import { stderrLog } from '../src/progress.js';
import { appRun, byScenario, lampStates, observeTraffic, spearman, type VmResult } from '../src/results.js';
import { chargeSummary, runSummary } from '../src/summary.js';
import { DEFAULT_DELAYS_US, GPIO_GID, ONOFF_DELAYS_US, runVm, type VmRun } from '../src/vm-run.js';

let run: VmRun;
const one = (scenario: string): VmResult => {
  const r = byScenario(run.results, scenario);
  expect(r, `RESULT lines for ${scenario}`).toHaveLength(1);
  return r[0]!;
};

beforeAll(async () => {
  run = await runVm({ log: stderrLog('vm'), ...(process.env.VM_APP === 'bundle' ? { appMode: 'bundle' as const } : {}) });
  process.stderr.write(`[vm] summary: ${JSON.stringify(runSummary(run), null, 2)}\n`);
});

describe('the VM', () => {
  it('boots Debian\'s kernel, loads irq_sim + gpio-sim and creates the Pi-like chip behind a decoy', () => {
    expect(run.timedOut, `console tail:\n${run.console.slice(-3000)}`).toBe(false);
    const boot = one('boot');
    expect(boot.ok, String(boot.error)).toBe(true);
    expect(boot.kernel).toBe(run.kernel.abi);
    expect(boot.decoyChip).toBe('gpiochip0');
    expect(boot.piChip).toBe('gpiochip1');
    // The dynamic sysfs base of a chip on a 6.x kernel: the REFERENCE §4 offset trap.
    expect(Number(boot.piSysfsBase)).toBeGreaterThanOrEqual(512);
    expect(one('done')).toBeDefined();
  });

  it('runs our standalone x64 executables (not the by-hand bundle fallback)', () => {
    expect(run.app.mode).toBe(process.env.VM_APP === 'bundle' ? 'bundle' : 'executables');
  });
});

describe.each(['gpiochip', 'onoff'])('traffic-light --gpio %s --cycles 1', (backend) => {
  it('exits 0', () => {
    const r = appRun(one(`traffic-${backend}`));
    expect(r.exit, r.stderr).toBe(0);
  });

  it('drives red, red+amber, green, amber on the kernel lines, then all off before releasing', () => {
    const states = lampStates(run.results, `traffic-${backend}-lamps`);
    const seen = observeTraffic(states, 150); // phases last 300 ms
    const detail = JSON.stringify(states);
    // Idle lines are pulled HIGH: 111 before the app claims them and after it releases them;
    // 000 while claimed before the first phase (when that lasts) is allowed.
    expect(seen.steady.filter((v, i) => !(v === '000' && i === 1)), detail).toEqual(['111', '100', '110', '001', '010', '111']);
    expect(seen.allOffAtEnd, detail).toBe(true);
  });
});

describe.each(['gpiochip', 'onoff'])('light-sensor --gpio %s --once, capacitor played by the helper', (backend) => {
  it('reports a charge time for every delay, and the times follow the delays', () => {
    const runs = byScenario(run.results, `light-${backend}`).map(appRun);
    expect(runs).toHaveLength((backend === 'gpiochip' ? DEFAULT_DELAYS_US : ONOFF_DELAYS_US).length);
    for (const r of runs) expect(r.exit, r.stderr).toBe(0);
    const { samples } = chargeSummary(run, backend);
    for (const s of samples) {
      const d = JSON.stringify(s);
      // Not much shorter than the delay (emulation stalls aside); later by the helper's lateness.
      expect(s.measured, d).toBeGreaterThan(s.delaySeconds - 0.015);
      expect(s.measured, d).toBeLessThan(s.delaySeconds + (backend === 'gpiochip' ? 0.05 : 0.2));
    }
    // Longer delays, longer charge times. By rank, since the helper itself can be late by
    // some ms under emulation (the readings track what it actually did: next test).
    const rho = spearman(samples.map((s) => s.delaySeconds), samples.map((s) => s.measured));
    expect(rho, JSON.stringify(samples.map((s) => [s.delaySeconds, s.measured]))).toBeGreaterThan(0.85);
  });

  it(
    backend === 'gpiochip'
      ? 'times the edge with kernel timestamps: inside the window in which the helper raised the line'
      : 'measures within 150 ms of the helper raising the line (JS-side timestamps, no kernel ones)',
    () => {
      const c = chargeSummary(run, backend);
      process.stderr.write(`[vm] ${backend} charge error (µs): ${JSON.stringify({ vsHelperStart: c.errorVsActualUs, outsideWindow: c.outsideWindowUs, insideShare: c.insideWindowShare })}\n`);
      for (const s of c.samples) {
        const d = JSON.stringify(s);
        if (backend === 'gpiochip') {
          // The edge cannot be stamped after the helper's write returned.
          expect(s.outsideWindow, d).toBeLessThanOrEqual(100e-6);
          // Earlier than the window only when the emulated CPU stalled between the two
          // kernel stamps of the switch (the app's and the helper's), never by more than that.
          expect(s.outsideWindow, d).toBeGreaterThan(-0.015);
        } else {
          expect(s.errorVsActual, d).toBeGreaterThan(-0.001);
          expect(s.errorVsActual, d).toBeLessThan(0.15);
        }
      }
      // Most readings land inside the window (±100 µs); the rest are emulation stalls. JS-side
      // stamps would put none there (Node callbacks lag by ms under emulation).
      if (backend === 'gpiochip') expect(c.insideWindowShare).toBeGreaterThanOrEqual(0.5);
    },
  );
});

describe('errors a user can act on', () => {
  it('a line held by another process: exit 1, naming the consumer the kernel reports', () => {
    const r = appRun(one('busy-gpiochip'));
    expect(r.exit).toBe(1);
    expect(r.stderr).toContain('gpiochip backend unavailable');
    expect(r.stderr).toMatch(/line 4 of \/dev\/gpiochip1 \(pinctrl-bcm2711\) is busy: the kernel reports it held by "rogue-holder"/);
  });

  it('a device without permission: exit 1, naming the device, its group and the gid for supplementalGroups', () => {
    const r = appRun(one('perm-denied'));
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/permission denied opening \/dev\/gpiochip\d \(mode 0660, owner uid 0, group gpio gid 997\) as uid 1000/);
    expect(r.stderr).toContain(`usermod -aG gpio`);
    expect(r.stderr).toContain(`supplementalGroups`);
    expect(r.stderr).toContain(String(GPIO_GID));
  });

  it('the same non-root uid with the gpio group as a supplementary group works', () => {
    const r = appRun(one('perm-granted'));
    expect(r.exit, r.stderr).toBe(0);
  });
});

describe('--gpio-chip / GPIO_CHIP', () => {
  it('--gpio-chip overrides the label choice (the 8-line decoy has no GPIO9)', () => {
    const r = appRun(one('chip-flag-decoy'));
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/GPIO9 is not a line of \/dev\/gpiochip0 "gpio-decoy" \(8 lines\)/);
  });

  it('GPIO_CHIP=/dev/gpiochip1 selects the Pi chip', () => {
    const r = appRun(one('chip-env-pi'));
    expect(r.exit, r.stderr).toBe(0);
  });
});
