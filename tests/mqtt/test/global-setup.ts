// The suite needs a real broker (Debian's Mosquitto, with mosquitto_passwd), openssl for its
// TLS certificates and the x64 executables: install and build them (cached), loudly; never
// skip. Each test file runs its own broker on free ports; Debian's packaged service, should
// the install have started it, is stopped so only the suite's brokers run.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackages, ensureExecutables } from '@gpio-fleet/test-tools';

export default function setup(): void {
  ensureDebianPackages(['mosquitto', 'mosquitto-clients', 'openssl']);
  const running = spawnSync('pgrep', ['-x', 'mosquitto'], { encoding: 'utf8' }).stdout.trim();
  const service = spawnSync('sh', ['-c', 'test -r /run/mosquitto/mosquitto.pid && cat /run/mosquitto/mosquitto.pid'], { encoding: 'utf8' }).stdout.trim();
  if (service && running.split('\n').includes(service)) {
    console.error(`stopping the system's mosquitto service (pid ${service}): the suite runs its own brokers`);
    spawnSync('start-stop-daemon', ['--stop', '--quiet', '--pidfile', '/run/mosquitto/mosquitto.pid', '--retry', '5'], { stdio: 'inherit' });
  }
  ensureExecutables(['x64']);
}
