// deploy/systemd units, checked by systemd itself: `systemd-analyze verify` in a scratch root
// that holds the real x64 executable at the unit's ExecStart path, and `systemd-analyze
// security` for the hardening level.
import { spawnSync } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCommand, ensureExecutables, REPO_ROOT } from '@gpio-fleet/test-tools';

const units = ['light-sensor', 'traffic-light'] as const;
const unitDir = fileURLToPath(new URL('..', import.meta.url));
const executable = (app: string) => join(REPO_ROOT, 'dist', 'bin', `${app}-linux-x64`);
let root: string;

function analyze(args: string[]) {
  const r = spawnSync(ensureCommand('systemd-analyze', 'systemd'), args, { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

beforeAll(async () => {
  // The units start the real executable: build it the way a user does (cached after the first time).
  ensureExecutables(['x64']);
  root = await mkdtemp(join(tmpdir(), 'ship-systemd-'));
  // systemd's own units (sysinit.target & co.), which verify loads as dependencies.
  await mkdir(join(root, 'usr', 'lib', 'systemd'), { recursive: true });
  await cp('/usr/lib/systemd/system', join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true });
  await mkdir(join(root, 'etc', 'systemd', 'system'), { recursive: true });
  await mkdir(join(root, 'opt', 'gpio-fleet', 'bin'), { recursive: true });
  for (const app of units) {
    await copyFile(join(unitDir, `${app}.service`), join(root, 'etc', 'systemd', 'system', `${app}.service`));
    await copyFile(executable(app), join(root, 'opt', 'gpio-fleet', 'bin', app));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe.each(units)('%s.service', (app) => {
  it('passes systemd-analyze verify without a single warning', () => {
    const r = analyze(['verify', `--root=${root}`, `${app}.service`]);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs the app as the gpio-fleet user in the gpio group, stopped by SIGTERM, restarted on failure', async () => {
    const text = await readFile(join(unitDir, `${app}.service`), 'utf8');
    const settings = new Map(
      text
        .split('\n')
        .filter((l) => /^[A-Za-z]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    expect(Object.fromEntries(settings)).toMatchObject({
      ExecStart: `/opt/gpio-fleet/bin/${app}`,
      DynamicUser: 'no',
      User: 'gpio-fleet',
      SupplementaryGroups: 'gpio',
      KillSignal: 'SIGTERM',
      Restart: 'on-failure',
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
    });
    expect(settings.get('TimeoutStopSec')).toMatch(/^\d+s$/);
  });

  it('is rated OK or better by systemd-analyze security', () => {
    const r = analyze(['security', '--offline=true', `--root=${root}`, '--no-pager', `${app}.service`]);
    const m = /Overall exposure level for \S+: (\d+\.\d) (\w+)/.exec(r.output);
    expect(m, r.output).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThanOrEqual(3);
  });
});

it('verify does flag a broken unit (the check above can fail)', async () => {
  const broken = (await readFile(join(unitDir, 'light-sensor.service'), 'utf8')).replace('DevicePolicy=closed', 'DevicePolicy=sometimes');
  await writeFile(join(root, 'etc', 'systemd', 'system', 'broken.service'), broken);
  const r = analyze(['verify', `--root=${root}`, 'broken.service']);
  expect(r.output).toMatch(/Failed to parse device policy/);
});
