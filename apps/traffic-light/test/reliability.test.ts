// Faults and signals at awkward moments, against the built traffic-light on the mock.
import { describe, expect, it } from 'vitest';
import { appCli, describeBadInput, logRecords, start, startApp, waitFor } from '@gpio-fleet/test-tools';
import { options } from '../src/options.js';

describeBadInput('traffic-light', [appCli('traffic-light')], options, { freeText: ['host', 'gpio-chip', 'mqtt-username', 'mqtt-client-id', 'mqtt-topic-prefix', 'mqtt-discovery-prefix'], baseArgs: [], baseEnv: { GPIO_BACKEND: 'mock', METRICS_PORT: '0', TRAFFIC_LIGHT_CYCLES: '1', TRAFFIC_LIGHT_PHASES: 'red:10ms' } });

describe('faults through the mock', () => {
  it('a lamp write failure: tries every lamp off, logs, exits 1 for the orchestrator to restart', async () => {
    const { proc, url } = await startApp('traffic-light', ['--gpio', 'mock', '--phases', 'red:300ms,green:300ms']);
    await waitFor('the first phase', () => (logRecords(proc).some((r) => r.msg === 'phase') ? true : undefined));
    expect((await fetch(`${url}/mock/fault`, { method: 'PUT', body: 'write-failure:amber' })).status).toBe(200);
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const logs = logRecords(proc);
    const failed = logs.findIndex((r) => r.msg === 'lamp write failed; switching everything off and exiting');
    expect(failed).toBeGreaterThan(-1);
    // The amber pin cannot be written, so switching off is reported as incomplete, not faked.
    expect(logs.slice(failed).some((r) => r.msg === 'could not switch every lamp off')).toBe(true);
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 1 });
    expect(logs.at(-1)?.steps).toContain('release GPIO');
  });

  it('rejects unknown mock faults', async () => {
    const { proc, url } = await startApp('traffic-light', ['--gpio', 'mock']);
    try {
      const res = await fetch(`${url}/mock/fault`, { method: 'PUT', body: 'meltdown' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'unknown fault "meltdown"; accepted: none | write-failure:<red|amber|green>' });
    } finally {
      await proc.stop();
    }
  });
});

describe('signals at awkward moments', () => {
  it('SIGTERM during start-up: exits 0 within 1 s, never lit a lamp, released the pins', async () => {
    const p = start(process.execPath, [appCli('traffic-light'), '--gpio', 'mock', '--port', '0']);
    await waitFor('the backend to be chosen', () => (logRecords(p).some((r) => r.msg === 'GPIO backend selected') ? true : undefined), 5000, 5);
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    const { code, signal } = await p.exited;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const logs = logRecords(p);
    const stop = logs.findIndex((r) => r.msg === 'shutting down');
    expect(stop).toBeGreaterThan(-1);
    // Lines are claimed driving LOW, so a lamp is lit only by a phase. None may start after
    // the signal, and if the first one came before it, the lamps were switched off again.
    expect(logs.slice(stop).some((r) => r.msg === 'phase')).toBe(false);
    if (logs.slice(0, stop).some((r) => r.msg === 'phase')) {
      expect(logs.findIndex((r) => r.msg === 'all lamps off')).toBeGreaterThan(stop);
    }
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 0 });
    expect(logs.at(-1)?.steps).toContain('release GPIO');
    expect(p.stderr()).not.toContain('still running');
  });

  // A boundary is where the lamps change, so a signal there races the next write. Each run
  // aims its SIGTERM at a predicted boundary (they are anchored to the first phase, 200 ms
  // apart), a little before, on, or a little after it.
  it.each([-3, -1, 0, 1, 3])('SIGTERM %i ms from a phase boundary still ends dark with pins released', async (offsetMs) => {
    const period = 200;
    const { proc } = await startApp('traffic-light', ['--gpio', 'mock', '--phases', `red:${period}ms,green:${period}ms`]);
    const first = await waitFor('the first phase', () => logRecords(proc).find((r) => r.msg === 'phase'));
    const origin = Date.parse(String(first.time));
    // The boundary two or three periods on from now, so the child is in its steady loop.
    const boundary = origin + (Math.ceil((Date.now() - origin) / period) + 2) * period;
    await new Promise((r) => setTimeout(r, Math.max(0, boundary + offsetMs - Date.now())));
    const t0 = Date.now();
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(code).toBe(0);
    const logs = logRecords(proc);
    const stop = logs.findIndex((r) => r.msg === 'shutting down');
    expect(stop).toBeGreaterThan(-1);
    expect(logs[stop]).toMatchObject({ reason: 'received SIGTERM' });
    expect(logs.slice(stop + 1).some((r) => r.msg === 'phase')).toBe(false); // nothing lit after the signal
    const off = logs.findIndex((r) => r.msg === 'all lamps off');
    expect(off).toBeGreaterThan(stop);
    expect(logs.some((r) => r.msg === 'could not switch every lamp off')).toBe(false);
    expect(logs.at(-1)?.steps).toEqual(expect.arrayContaining(['stop sequence', 'switch lamps off', 'release GPIO']));
  });
});
