import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseOptions, UsageError } from '@gpio-fleet/cli-kit';
import { mqttOptions, parseMqttUrl, resolveMqttSettings, StateReporter } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-mqtt-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const spec = mqttOptions();
const settings = (argv: string[], env: NodeJS.ProcessEnv = {}) => resolveMqttSettings(parseOptions(spec, argv, env).values, { NODE_NAME: 'pi-1', ...env }, 'light-sensor');
const usageError = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('--mqtt-url', () => {
  it.each(['mqtt://broker', 'mqtts://broker:8883', 'ws://127.0.0.1:9001', 'wss://broker.example/mqtt', 'mqtt://[::1]:1883/'])('accepts %s', (u) => {
    expect(parseMqttUrl(u).hostname).not.toBe('');
  });
  it.each([
    ['http://broker', /not an MQTT transport/],
    ['tcp://broker:1883', /not an MQTT transport/],
    ['broker:1883', /not an MQTT transport/],
    ['mqtt://', /not a URL|no host/],
    ['mqtt://user:secret@broker', /credentials/],
    ['mqtt://user@broker', /credentials/],
    ['mqtt://broker:0', /port 0/],
    ['mqtt://broker:70000', /not a URL/],
    ['mqtt://broker/path', /only for ws/],
    ['mqtt://broker?x=1', /query/],
    ['bogus', /not a URL/],
  ])('refuses %s', (u, why) => expect(() => parseMqttUrl(u)).toThrow(why));

  it('names the flag, the value and the accepted form', () => {
    const m = usageError(() => parseOptions(spec, ['--mqtt-url', 'http://broker'], {}));
    expect(m).toContain('--mqtt-url');
    expect(m).toContain('"http://broker"');
    expect(m).toContain('accepted: mqtt://');
  });
});

describe('MQTT settings', () => {
  it('are off without --mqtt-url, whatever else is set', () => {
    expect(settings(['--mqtt-username', 'u'], { MQTT_PASSWORD: 'p' })).toBeUndefined();
  });

  it('default the client ID to <node>-<app> and the topics to gpio-fleet/<node>/<app>', () => {
    const s = settings(['--mqtt-url', 'mqtt://broker'])!;
    expect(s.clientId).toBe('pi-1-light-sensor');
    expect(s.topics.state).toBe('gpio-fleet/pi-1/light-sensor/state');
    expect(s.topics.config('sensor', 'light-sensor_level')).toBe('homeassistant/sensor/pi-1/light-sensor_level/config');
    expect(s.discovery).toBe(true);
    expect(s.discoveryCleanup).toBe(false);
    expect(s.expireAfterSeconds).toBeGreaterThan(s.heartbeatSeconds);
  });

  it('read the password from a file, without its trailing newline, or from MQTT_PASSWORD', () => {
    const pw = file('pw', 's3cret\n');
    expect(settings(['--mqtt-url', 'mqtt://b', '--mqtt-username', 'u', '--mqtt-password-file', pw])!.password).toBe('s3cret');
    expect(settings(['--mqtt-url', 'mqtt://b'], { MQTT_USERNAME: 'u', MQTT_PASSWORD_FILE: pw })!.password).toBe('s3cret');
    expect(settings(['--mqtt-url', 'mqtt://b', '--mqtt-username', 'u'], { MQTT_PASSWORD: 'from-env' })!.password).toBe('from-env');
  });

  it('refuse a password file that cannot be read or is empty, naming it', () => {
    const missing = join(dir, 'nope');
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b', '--mqtt-password-file', missing]))).toMatch(/--mqtt-password-file.*ENOENT/);
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b', '--mqtt-password-file', file('empty', '\n')]))).toMatch(/empty/);
  });

  it('refuse two password sources, and a password without a username', () => {
    const pw = file('pw2', 'x');
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b', '--mqtt-username', 'u', '--mqtt-password-file', pw], { MQTT_PASSWORD: 'y' }))).toMatch(/both/);
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b'], { MQTT_PASSWORD: 'y' }))).toMatch(/--mqtt-username/);
  });

  it('take a CA file only with TLS, and only one holding a certificate', () => {
    const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(settings(['--mqtt-url', 'mqtts://b', '--mqtt-ca-file', ca])!.ca).toContain('BEGIN CERTIFICATE');
    expect(settings(['--mqtt-url', 'wss://b', '--mqtt-ca-file', ca])!.ca).toContain('BEGIN CERTIFICATE');
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b', '--mqtt-ca-file', ca]))).toMatch(/does not use TLS/);
    expect(usageError(() => settings(['--mqtt-url', 'mqtts://b', '--mqtt-ca-file', file('notpem', 'hello')]))).toMatch(/no PEM certificate/);
  });

  it('refuse a node name that cannot be a topic level', () => {
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b'], { NODE_NAME: 'a/b' }))).toMatch(/"a\/b"/);
  });

  it('switch discovery off with --mqtt-discovery false, and refuse other words', () => {
    expect(settings(['--mqtt-url', 'mqtt://b', '--mqtt-discovery', 'false'])!.discovery).toBe(false);
    expect(settings(['--mqtt-url', 'mqtt://b'], { MQTT_DISCOVERY: 'off' })!.discovery).toBe(false);
    expect(usageError(() => settings(['--mqtt-url', 'mqtt://b', '--mqtt-discovery', 'maybe']))).toMatch(/accepted: true \| false/);
  });

  it('have no --mqtt-password flag: a value on the command line is visible to every user', () => {
    expect(Object.values(spec).map((o) => o.flag)).not.toContain('mqtt-password');
    expect(usageError(() => parseOptions(spec, ['--mqtt-password', 'x'], {}))).toMatch(/unknown flag "--mqtt-password"/);
    expect(spec.mqttPasswordFile.description).toMatch(/no --mqtt-password flag/);
  });
});

describe('state reporter', () => {
  it('sends a significant state at once, the rest at the heartbeat, and nothing after stop', () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      const r = new StateReporter((p) => sent.push(p), 10);
      r.state({ n: 1 }, false); // the first always goes
      r.state({ n: 2 }, false);
      r.state({ n: 3 }, false);
      expect(sent).toEqual(['{"n":1}']);
      vi.advanceTimersByTime(9_999);
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sent).toEqual(['{"n":1}', '{"n":3}']);
      r.state({ n: 4 }, true);
      expect(sent.at(-1)).toBe('{"n":4}');
      // A significant message restarts the heartbeat: the next is a full interval later.
      vi.advanceTimersByTime(9_000);
      expect(sent).toHaveLength(3);
      vi.advanceTimersByTime(1_000);
      expect(sent).toHaveLength(4);
      vi.advanceTimersByTime(10_000);
      expect(sent).toHaveLength(5);
      r.stop();
      r.state({ n: 5 }, true);
      vi.advanceTimersByTime(60_000);
      expect(sent).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });
});
