// Boot a kernel + initramfs in qemu-system-x86_64: console on the first serial port (kept as
// a log), results on the second (a file). KVM when the host offers it, TCG otherwise.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import type { Log } from './progress.js';

export type Accel = 'kvm' | 'tcg';

/**
 * TCG unless VM_ACCEL=kvm. KVM is not the default: on these machines /dev/kvm exists but
 * nested KVM fails (qemu asserts on MSR 0x10a with -cpu host/max, and hangs with qemu64).
 */
export function chooseAccel(env: NodeJS.ProcessEnv = process.env): Accel {
  if (env.VM_ACCEL === 'kvm') {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return 'kvm';
  }
  return 'tcg';
}

export interface BootOptions {
  kernel: string;
  initrd: string;
  append: string;
  memoryMb: number;
  accel: Accel;
  resultsFile: string;
  consoleFile: string;
  timeoutMs: number;
  /** Called with each complete console line (progress). */
  onConsoleLine?: (line: string) => void;
}

export interface BootResult {
  code: number | null;
  timedOut: boolean;
  seconds: number;
  console: string;
  results: string;
}

export function qemuArgs(o: BootOptions): string[] {
  return [
    '-accel', o.accel,
    // Under KVM the guest sees the host CPU; TCG emulates every feature Node's x64 build may use.
    '-cpu', o.accel === 'kvm' ? 'host' : 'max',
    // Two vCPUs so the helper and the app do not take turns on one (that adds ms-scale gaps).
    '-smp', '2',
    '-m', String(o.memoryMb),
    '-kernel', o.kernel,
    '-initrd', o.initrd,
    '-append', o.append,
    '-display', 'none',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-serial', `file:${o.resultsFile}`,
    '-net', 'none',
    '-no-reboot',
  ];
}

export async function bootVm(o: BootOptions, log: Log): Promise<BootResult> {
  ensureDebianPackages(['qemu-system-x86']);
  writeFileSync(o.resultsFile, '');
  const started = Date.now();
  log(`booting qemu-system-x86_64 (${o.accel}, ${o.memoryMb} MiB)`);
  const child = spawn('qemu-system-x86_64', qemuArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  let console = '';
  let partial = '';
  const onData = (d: Buffer): void => {
    const s = d.toString();
    console += s;
    partial += s;
    const lines = partial.split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const l of lines) o.onConsoleLine?.(l);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  writeFileSync(o.consoleFile, console);
  return { code, timedOut, seconds: (Date.now() - started) / 1000, console, results: readFileSync(o.resultsFile, 'utf8') };
}
