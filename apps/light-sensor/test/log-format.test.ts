// --log-format through the built app: auto is pretty on a terminal (a real pty from
// util-linux's `script`) and JSON on a pipe, so Kubernetes and systemd keep JSON.
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appCli } from '@gpio-fleet/test-tools';
import { ensureCommand } from '@gpio-fleet/test-tools/provision';

const PRETTY = /^\d\d:\d\d:\d\d\.\d{3} info {2}GPIO backend selected backend=mock simulated=true reason=/m;
const once = ['--gpio', 'mock', '--mock-lux', '100', '--once'];

/** Runs the app with stdin, stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const script = ensureCommand('script', 'bsdutils');
  const command = [process.execPath, appCli('light-sensor'), ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync(script, ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm', NO_COLOR: '', ...env }, timeout: 20_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout.replaceAll('\r\n', '\n');
}

const onPipe = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [appCli('light-sensor'), ...args], { encoding: 'utf8', env: { ...process.env, LOG_FORMAT: '', ...env }, timeout: 20_000 });


describe('light-sensor --log-format', () => {
  it('auto on a terminal prints short coloured lines, and no colour with NO_COLOR', () => {
    const shown = onTerminal(once);
    expect(stripVTControlCharacters(shown)).toMatch(PRETTY);
    expect(shown).toContain('\x1b[36minfo \x1b[0m');
    expect(shown).not.toContain('"msg"');
    const noColour = onTerminal(once, { NO_COLOR: '1' });
    expect(noColour).toMatch(PRETTY);
    expect(noColour).not.toContain('\x1b[');
  });

  it('auto on a pipe prints JSON lines, as json does on a terminal', () => {
    const r = onPipe(once);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(JSON.parse(l)).toHaveProperty('msg');
    expect(onTerminal([...once, '--log-format', 'json'])).toMatch(/^\{"time":"[^"]+","level":"info","msg":"GPIO backend selected"/m);
  });

  it('pretty on a pipe (LOG_FORMAT=pretty) prints the short lines without colour codes', () => {
    const r = onPipe(once, { LOG_FORMAT: 'pretty' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(PRETTY);
    expect(r.stderr).not.toContain('\x1b[');
    // stdout keeps the --once JSON line, whatever the log format.
    expect(JSON.parse(r.stdout)).toMatchObject({ pin: 'BCM4', backend: 'mock' });
  });

  it('refuses an unknown format with exit 2, naming the value and the accepted forms', () => {
    const r = onPipe([...once, '--log-format', 'yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--log-format value "yaml"');
    expect(r.stderr).toContain('auto | json | pretty');
  });
});
