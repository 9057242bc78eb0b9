// The MQTT options from the command line: bad URLs and options exit 2 naming them, before any
// pin is claimed; --help explains each, and why there is no --mqtt-password; without
// --mqtt-url the apps are exactly as before.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appCli, httpText, logRecords } from '@gpio-fleet/test-tools';
import { startMqttApp } from './support/apps.js';

const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-mqtt-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passwordFile = join(dir, 'password');
writeFileSync(passwordFile, 'pw\n');

const cli = (app: 'light-sensor' | 'traffic-light', args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [appCli(app), '--gpio', 'mock', '--port', '0', '--host', '127.0.0.1', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });

describe.each(['light-sensor', 'traffic-light'] as const)('%s: MQTT options', (app) => {
  it.each([
    [['--mqtt-url', 'http://broker:1883'], {}, ['--mqtt-url', '"http://broker:1883"', 'accepted: mqtt://']],
    [['--mqtt-url', 'mqtt://user:secret@broker'], {}, ['--mqtt-url', 'credentials do not belong in the URL']],
    [[], { MQTT_URL: 'broker.local' }, ['env MQTT_URL', '"broker.local"']],
    [['--mqtt-url', 'mqtt://b', '--mqtt-password-file', join(dir, 'missing')], {}, ['--mqtt-password-file', 'ENOENT']],
    [['--mqtt-url', 'mqtt://b', '--mqtt-username', 'u', '--mqtt-password-file', passwordFile], { MQTT_PASSWORD: 'x' }, ['both', 'MQTT_PASSWORD']],
    [['--mqtt-url', 'mqtt://b'], { MQTT_PASSWORD: 'x' }, ['--mqtt-username']],
    [['--mqtt-url', 'mqtt://b', '--mqtt-ca-file', passwordFile], {}, ['--mqtt-ca-file', 'no PEM certificate']],
    [['--mqtt-url', 'mqtt://b', '--mqtt-topic-prefix', 'a/#'], {}, ['--mqtt-topic-prefix', '"a/#"']],
    [['--mqtt-url', 'mqtt://b', '--mqtt-queue-size', '0'], {}, ['--mqtt-queue-size', '"0"']],
    [['--mqtt-url', 'mqtt://b'], { NODE_NAME: 'rack/pi-1' }, ['"rack/pi-1"', 'topic level']],
    [['--mqtt-password', 'secret'], {}, ['unknown flag "--mqtt-password"']],
  ] as [string[], NodeJS.ProcessEnv, string[]][])('%j %j exits 2 naming it', (args, env, says) => {
    const r = cli(app, args, env);
    expect(r.status, r.stderr).toBe(2);
    for (const s of says) expect(r.stderr).toContain(s);
    // Refused before the backend started: nothing was claimed.
    expect(r.stderr).not.toContain('GPIO backend selected');
    expect(r.stderr).not.toContain('secret');
  });

  it('--help lists every MQTT option and says why there is no --mqtt-password flag', () => {
    const r = spawnSync(process.execPath, [appCli(app), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const flag of ['--mqtt-url', '--mqtt-username', '--mqtt-password-file', '--mqtt-ca-file', '--mqtt-client-id', '--mqtt-topic-prefix', '--mqtt-heartbeat', '--mqtt-queue-size', '--mqtt-discovery', '--mqtt-discovery-prefix', '--mqtt-discovery-cleanup']) {
      expect(r.stdout).toContain(flag);
    }
    if (app === 'light-sensor') expect(r.stdout).toContain('--mqtt-min-delta');
    expect(r.stdout).toMatch(/MQTT_PASSWORD/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/no --mqtt-password flag: a value on the command line is visible to every user/);
  });

  it('without --mqtt-url changes nothing: no MQTT metrics, no MQTT log line', async () => {
    const a = await startMqttApp(app, 'pi-plain', []);
    try {
      const metrics = (await httpText(`${a.url}/metrics`))!;
      expect(metrics).not.toMatch(/^mqtt_/m);
      expect(logRecords(a.proc).filter((r) => String(r.msg).includes('MQTT'))).toEqual([]);
    } finally {
      await a.proc.stop();
    }
  });
});
