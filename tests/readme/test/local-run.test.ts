// "A local run with the mock GPIO", executed: a fresh clone of HEAD, the README's set-up
// (`npm ci && npm run build`), then every command of that section exactly as printed, in
// order, each checked against what the README says it does. Then the other two commands a new
// user tries first: `npx traffic-light --help` and `npx gpio-fleet --help`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatedLoopback, readme, type IsolatedLoopback } from '@gpio-fleet/test-tools';
import { freshClone, type FreshClone } from './support/fresh-clone.js';
import { section, shellCommands, type ReadmeCommand } from './support/readme-section.js';
import { UserShell, type Typed } from './support/user-shell.js';

const commands = shellCommands(section(readme(), 'A local run with the mock GPIO'));

let clone: FreshClone;
let loopback: IsolatedLoopback | undefined;
let shell: UserShell;
/** What each README command did, in order. */
const typed: { readme: ReadmeCommand; result: Typed }[] = [];

const jsonRecords = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const serving = (stderr: string) => jsonRecords(stderr).some((r) => r.msg === 'serving metrics');

function result(pattern: RegExp): { readme: ReadmeCommand; result: Typed } {
  const found = typed.find((t) => pattern.test(t.readme.command));
  if (!found) throw new Error(`the README section has no command matching ${pattern}; it has:\n${commands.map((c) => c.command).join('\n')}`);
  return found;
}

beforeAll(async () => {
  clone = freshClone();
  // The section's commands use the default ports (9110, 9111). As root they run in a network
  // namespace of their own, so nothing else on this machine can hold those ports; otherwise
  // on the host loopback.
  loopback = process.getuid?.() === 0 ? createIsolatedLoopback(`readme${process.pid}`) : undefined;
  shell = new UserShell(clone.dir, clone.env, loopback?.prefix ?? []);
  for (const c of commands) typed.push({ readme: c, result: await shell.type(c.command, serving) });
  await shell.interruptAll();
});

afterAll(async () => {
  await shell?.interruptAll();
  loopback?.remove();
  clone?.remove();
});

describe('README: a local run with the mock GPIO, on a fresh clone', () => {
  it('the section is what this test expects to run', () => {
    expect(commands.map((c) => c.command.split(' ').slice(0, 2).join(' '))).toEqual([
      'npx light-sensor',
      'npx light-sensor',
      'curl -X',
      'curl http://127.0.0.1:9110/metrics',
      'npx traffic-light',
    ]);
  });

  it('`npx light-sensor ... --once` prints the JSON line the README shows', () => {
    const { readme: c, result: r } = result(/--once/);
    expect(r.exit, r.proc.stderr()).toEqual({ code: 0, signal: null });
    const lines = r.proc.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const got = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(c.shownOutput).toHaveLength(1);
    const shown = JSON.parse(c.shownOutput[0]!) as Record<string, unknown>;
    expect(Object.keys(got)).toEqual(Object.keys(shown));
    expect(got).toMatchObject({ pin: shown.pin, backend: shown.backend, timedOut: shown.timedOut });
    // The mock adds timing jitter: the README's figures hold within a few percent.
    expect(Number(got.lux) / Number(shown.lux)).toBeCloseTo(1, 1);
    expect(Number(got.chargeSeconds) / Number(shown.chargeSeconds)).toBeCloseTo(1, 1);
    expect(Number(got.level)).toBeCloseTo(Number(shown.level), 1);
  });

  it('`npx light-sensor --gpio mock --mock-lux daynight:5m` keeps serving metrics on :9110', () => {
    const { result: r } = result(/daynight/);
    expect(r.server).toBe(true);
    const records = jsonRecords(r.proc.stderr());
    expect(records.find((x) => x.msg === 'serving metrics')).toMatchObject({ port: 9110 });
    expect(records.find((x) => x.msg === 'mock light')).toMatchObject({ light: expect.stringContaining('day/night') });
  });

  it('`curl -X PUT --data 1000 .../mock/lux` switches the simulated light to 1000 lux', () => {
    const { result: r } = result(/PUT/);
    expect(r.exit, r.proc.stderr()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(r.proc.stdout())).toMatchObject({ light: '1000 lux (set at runtime)', fault: 'none' });
  });

  it('`curl .../metrics | grep ^light_sensor` shows the light-sensor families', () => {
    const { result: r } = result(/\/metrics/);
    expect(r.exit, r.proc.stderr()).toEqual({ code: 0, signal: null });
    const lines = r.proc.stdout().trim().split('\n');
    expect(lines.every((l) => l.startsWith('light_sensor'))).toBe(true);
    for (const family of ['light_sensor_level', 'light_sensor_illuminance_lux', 'light_sensor_charge_seconds_bucket', 'light_sensor_readings_total', 'light_sensor_last_reading_timestamp_seconds']) {
      expect(lines.some((l) => l.startsWith(family)), family).toBe(true);
    }
  });

  it('the server stops cleanly on Ctrl-C: pins released, exit code 0', () => {
    const { result: r } = result(/daynight/);
    const last = jsonRecords(r.proc.stderr()).at(-1);
    expect(last).toMatchObject({ msg: 'stopped', exitCode: 0 });
    expect(last?.steps).toEqual(expect.arrayContaining(['release GPIO', 'stop HTTP server']));
  });

  it('`npx traffic-light --gpio mock --cycles 1`: one 11 s cycle, then all lamps off, exit 0', () => {
    const { result: r } = result(/traffic-light/);
    expect(r.exit, r.proc.stderr()).toEqual({ code: 0, signal: null });
    expect(r.ms).toBeGreaterThanOrEqual(11_000);
    const records = jsonRecords(r.proc.stderr());
    expect(records.filter((x) => x.msg === 'phase').map((x) => x.phase)).toEqual(['red', 'red_amber', 'green', 'amber']);
    expect(records.slice(-2).map((x) => x.msg)).toEqual(['all lamps off', 'stopped']);
  });
});

describe('the other commands a new user tries first', () => {
  it.each([
    ['npx traffic-light --help', /^Usage: traffic-light \[options\]/],
    ['npx gpio-fleet --help', /^Usage: gpio-fleet <command> \[options\]/],
    ['npx light-sensor --help', /^Usage: light-sensor \[options\]/],
  ])('%s prints its usage and exits 0', async (command, usage) => {
    const r = await shell.type(command, () => false);
    expect(r.exit, r.proc.stderr()).toEqual({ code: 0, signal: null });
    expect(r.proc.stdout()).toMatch(usage);
    expect(r.proc.stderr()).toBe('');
  });
});
