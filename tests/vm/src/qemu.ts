// Boot a kernel + initramfs in qemu-system-<arch>: the console on the first serial port (kept
// as a log), results on a second one written to a file (see arch.ts for which port that is).
// TCG by default; KVM only for x64 and only when asked.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { ensureDebianPackages } from '@gpio-fleet/test-tools/provision';
import type { VmArch } from './arch.js';
import type { Log } from './progress.js';

export type Accel = 'kvm' | 'tcg';

/**
 * TCG unless VM_ACCEL=kvm. KVM is not the default: on these machines /dev/kvm exists but
 * nested KVM fails (qemu asserts on MSR 0x10a with -cpu host/max, and hangs with qemu64). An
 * ARM guest on this x64 host is always emulated.
 */
export function chooseAccel(vm: VmArch, env: NodeJS.ProcessEnv = process.env): Accel {
  if (env.VM_ACCEL === 'kvm') {
    if (vm.arch !== 'x64') throw new Error(`VM_ACCEL=kvm: a ${vm.arch} guest cannot use KVM on this host; unset VM_ACCEL or use VM_ARCHES=x64`);
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

export function qemuArgs(vm: VmArch, o: BootOptions): string[] {
  return [
    '-accel', o.accel,
    // Two vCPUs so the helper and the app do not take turns on one (that adds ms-scale gaps).
    '-smp', '2',
    '-m', String(o.memoryMb),
    '-kernel', o.kernel,
    '-initrd', o.initrd,
    '-append', o.append,
    '-display', 'none',
    '-monitor', 'none',
    // The first serial port is the console; the machine's arguments add the results port after it.
    '-serial', 'stdio',
    ...vm.qemu.machine(o.resultsFile, o.accel),
    '-net', 'none',
    '-no-reboot',
  ];
}

/** The kernel command line: the console, quiet, PID 1 from the initramfs, plus the machine's extras. Pure. */
export const kernelAppend = (vm: VmArch): string =>
  [`console=${vm.consoleTty}`, 'quiet', 'loglevel=3', 'panic=-1', 'rdinit=/init', vm.qemu.append].filter(Boolean).join(' ');

export async function bootVm(vm: VmArch, o: BootOptions, log: Log): Promise<BootResult> {
  ensureDebianPackages([vm.qemu.debianPackage]);
  writeFileSync(o.resultsFile, '');
  const started = Date.now();
  log(`booting ${vm.qemu.binary} (${o.accel}, ${o.memoryMb} MiB)`);
  const child = spawn(vm.qemu.binary, qemuArgs(vm, o), { stdio: ['ignore', 'pipe', 'pipe'] });
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
