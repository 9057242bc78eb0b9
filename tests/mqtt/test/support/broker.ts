// A real Mosquitto for one test file: a password file, and four listeners on 127.0.0.1 (plain
// MQTT, MQTT over TLS, WebSockets, WebSockets over TLS) with a CA made by openssl. No
// persistence, so a restart loses every retained message, as a broker without a disk would.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start, waitFor, type Started } from '@gpio-fleet/test-tools';

export const USER = 'gpio';
export const PASSWORD = 'fleet-secret';

export interface Broker {
  dir: string;
  /** PEM of the CA that signed the broker's certificate (for localhost and 127.0.0.1). */
  caFile: string;
  /** A file holding PASSWORD, for --mqtt-password-file. */
  passwordFile: string;
  urls: { mqtt: string; mqtts: string; ws: string; wss: string };
  process(): Started;
  /** SIGTERM, and wait for it to end. */
  stop(): Promise<void>;
  /** Start it again on the same ports (after stop). */
  start(): Promise<void>;
  /** Stop for good and remove its files. */
  close(): Promise<void>;
}

function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=gpio-fleet test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
}

export async function startBroker(): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-mosquitto-'));
  makeCertificates(dir);
  execFileSync('mosquitto_passwd', ['-c', '-b', join(dir, 'passwd'), USER, PASSWORD]);
  writeFileSync(join(dir, 'password'), `${PASSWORD}\n`);
  const ports = { mqtt: await freePort(), mqtts: await freePort(), ws: await freePort(), wss: await freePort() };
  const tls = [`cafile ${join(dir, 'ca.crt')}`, `certfile ${join(dir, 'server.crt')}`, `keyfile ${join(dir, 'server.key')}`];
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${join(dir, 'passwd')}`,
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      `listener ${ports.mqtt} 127.0.0.1`,
      `listener ${ports.mqtts} 127.0.0.1`,
      ...tls,
      `listener ${ports.ws} 127.0.0.1`,
      'protocol websockets',
      `listener ${ports.wss} 127.0.0.1`,
      'protocol websockets',
      ...tls,
      '',
    ].join('\n'),
  );
  // Started as root, mosquitto drops to its own user: it must be able to read these files.
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);

  let proc: Started | undefined;
  const launch = async () => {
    const p = start('mosquitto', ['-c', join(dir, 'mosquitto.conf')]);
    proc = p;
    await waitFor('mosquitto to run', () => {
      if (p.child.exitCode !== null) throw new Error(`mosquitto exited ${p.child.exitCode}:\n${p.stderr()}`);
      return /mosquitto version \S+ running/.test(p.stderr()) ? true : undefined;
    });
  };
  await launch();
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    passwordFile: join(dir, 'password'),
    urls: {
      mqtt: `mqtt://127.0.0.1:${ports.mqtt}`,
      mqtts: `mqtts://localhost:${ports.mqtts}`,
      ws: `ws://127.0.0.1:${ports.ws}`,
      wss: `wss://localhost:${ports.wss}`,
    },
    process: () => proc!,
    async stop() {
      await proc?.stop();
    },
    start: launch,
    async close() {
      await proc?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
