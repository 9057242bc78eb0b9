// One VM run on one architecture: kernel + modules (cached), an initramfs with busybox, the
// helper and our apps, the scenarios in guest/init.sh, and the parsed RESULT lines back.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parsePin } from '@gpio-fleet/gpio';
import type { VmArch } from './arch.js';
import { writeCpio, type CpioEntry } from './cpio.js';
import { appPayload, busyboxEntry, sharedLibraryEntries, simhelperEntry, vmDir, type AppPayload } from './guest-files.js';
import { prepareKernel, vmCacheRoot, type KernelArtifacts } from './kernel.js';
import { bootVm, chooseAccel, kernelAppend, type Accel } from './qemu.js';
import { parseResults, type VmResult } from './results.js';
import type { Log } from './progress.js';

export const ALL_SCENARIOS = [
  'traffic-gpiochip',
  'light-gpiochip',
  'traffic-onoff',
  'light-onoff',
  'busy',
  'permission',
  'explicit-chip',
  'edge-timestamps',
  'device-plugin',
  'idle-gpiochip',
] as const;

/** The idle scenario: seconds before its window opens (start-up under emulation), and the window. */
export const IDLE = { warmupSeconds: 12, windowSeconds: 20, port: 9110 } as const;

/** Charge delays the helper plays, µs: 2 ms .. 200 ms, each twice. */
export const DEFAULT_DELAYS_US = [2000, 5000, 10000, 20000, 50000, 100000, 200000].flatMap((d) => [d, d]);

/**
 * onoff: fewer and longer. Each run is slow (sysfs export), and onoff arms its edge watch
 * after switching to input, so under emulation an edge 2 ms later can come before the watch.
 * Its JS-side stamps were seen 100 ms late on a busy host, so the delays lie further apart
 * than that, and the longest stays well inside the reading's 1 s timeout.
 */
export const ONOFF_DELAYS_US = [50000, 250000, 600000];

/** The apps' default pins, as line offsets on the header chip (BCM numbers). */
export const PINS = {
  sensor: parsePin('BOARD7').bcm,
  lamps: [parsePin('WPI13').bcm, parsePin('WPI12').bcm, parsePin('WPI14').bcm] as const,
};

/** The chips init.sh creates: the decoy first, then the Pi's. */
export const DECOY_LINES = 8;
export const PI_LINES = 58;

/**
 * Edges the helper makes for the edge probe, and the pause before each. With both edges
 * requested the kernel stamps an edge in its hard interrupt handler and queues the event from
 * its interrupt thread; when that thread runs late (seen on the emulated armv7 CPU even with
 * edges 150 ms apart), a second edge overwrites the first one's stamp and the two become one
 * event. So the helper makes each edge only after JavaScript has seen the one before.
 */
export const EDGE_COUNT = 32;
export const EDGE_INTERVAL_US = 20_000;

export const GPIO_GID = 997;
/**
 * The traffic-light phases, and how long a lamp state must last to count as one of them (half
 * a phase; shorter ones are claim, switch and release transients). 1 s phases: on the emulated
 * armv7 CPU the app's switch-off before releasing the lines alone took over 200 ms.
 */
export const PHASE_MS = 1000;
export const STEADY_MS = PHASE_MS / 2;
export const PHASES = ['red', 'red+amber', 'green', 'amber'].map((p) => `${p}:${PHASE_MS}ms`).join(',');

export interface VmRunOptions {
  vm: VmArch;
  scenarios?: readonly string[];
  delaysUs?: readonly number[];
  accel?: Accel;
  appMode?: 'auto' | 'bundle';
  timeoutMs?: number;
  log: Log;
}

export interface VmRun {
  vm: VmArch;
  results: VmResult[];
  console: string;
  kernel: KernelArtifacts;
  app: Pick<AppPayload, 'mode' | 'notes'>;
  accel: Accel;
  exitCode: number | null;
  timedOut: boolean;
  timings: { kernelSeconds: number; initramfsSeconds: number; initramfsBytes: number; qemuSeconds: number };
  workDir: string;
}

function envFile(o: { vm: VmArch; modules: string[]; scenarios: readonly string[]; delaysUs: readonly number[]; appMode: string }): string {
  const lines = {
    RESULTS_TTY: o.vm.resultsTty,
    NATIVE_DIR: `native-linux-${o.vm.arch}`,
    MODULES: o.modules.join(' '),
    SCENARIOS: o.scenarios.join(' '),
    LAMP_OFFSETS: PINS.lamps.join(' '),
    SENSOR_OFFSET: String(PINS.sensor),
    PHASES,
    DELAYS_US: o.delaysUs.join(' '),
    DELAYS_US_ONOFF: ONOFF_DELAYS_US.join(' '),
    DISCHARGE: '20ms',
    GPIO_GID: String(GPIO_GID),
    EDGE_COUNT: String(EDGE_COUNT),
    EDGE_INTERVAL_US: String(EDGE_INTERVAL_US),
    APP_MODE: o.appMode,
    IDLE_WARMUP_S: String(IDLE.warmupSeconds),
    IDLE_WINDOW_S: String(IDLE.windowSeconds),
    IDLE_PORT: String(IDLE.port),
  };
  return Object.entries(lines)
    .map(([k, v]) => `${k}='${v}'`)
    .join('\n') + '\n';
}

function pruneRuns(dir: string, keep: number): void {
  const runs = readdirSync(dir).sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]));
  for (const r of runs.slice(0, Math.max(0, runs.length - keep))) rmSync(join(dir, r), { recursive: true, force: true });
}

export async function runVm(options: VmRunOptions): Promise<VmRun> {
  const { log, vm } = options;
  const scenarios = options.scenarios ?? ALL_SCENARIOS;
  const delaysUs = options.delaysUs ?? DEFAULT_DELAYS_US;
  const workDir = join(vmCacheRoot(), 'runs', `${Date.now()}-${process.pid}-${vm.arch}`);
  mkdirSync(workDir, { recursive: true });

  let t0 = Date.now();
  const kernel = await prepareKernel(vm, log);
  const kernelSeconds = (Date.now() - t0) / 1000;

  t0 = Date.now();
  const app = await appPayload(vm, log, options.appMode ?? 'auto');
  for (const n of app.notes) log(`note: ${n}`);
  const modules = kernel.modules.map((m) => m.split('/').pop()!);
  const entries: CpioEntry[] = [
    { kind: 'dir', path: 'dev' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'dir', path: 'proc' },
    { kind: 'dir', path: 'sys' },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
    { kind: 'file', path: 'init', data: readFileSync(join(vmDir, 'guest', 'init.sh')), mode: 0o755 },
    busyboxEntry(kernel.busybox),
    await simhelperEntry(vm, log),
    ...kernel.modules.map((m, i): CpioEntry => ({ kind: 'file', path: `lib/modules/${modules[i]}`, data: readFileSync(m) })),
    { kind: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/tmp:/bin/sh\n') },
    { kind: 'file', path: 'etc/group', data: Buffer.from(`root:x:0:\ngpio:x:${GPIO_GID}:\napp:x:1000:\n`) },
    { kind: 'file', path: 'etc/vm-test.env', data: Buffer.from(envFile({ vm, modules, scenarios, delaysUs, appMode: app.mode })) },
    ...app.entries,
    ...(await sharedLibraryEntries(vm, app.elfFiles)),
  ];
  const initrd = join(workDir, 'initramfs.cpio');
  const initramfsBytes = await writeCpio(initrd, entries);
  const initramfsSeconds = (Date.now() - t0) / 1000;
  log(`initramfs ${(initramfsBytes / 2 ** 20).toFixed(0)} MiB written in ${initramfsSeconds.toFixed(1)} s`);

  const accel = options.accel ?? chooseAccel(vm);
  // Room for the unpacked initramfs (apps are ~100 MiB each) plus the archive itself.
  const memoryMb = Math.max(1024, Math.ceil((statSync(initrd).size * 2.5) / 2 ** 20) + 512);
  const boot = await bootVm(
    vm,
    {
      kernel: kernel.vmlinuz,
      initrd,
      append: kernelAppend(vm),
      memoryMb,
      accel,
      resultsFile: join(workDir, 'results.log'),
      consoleFile: join(workDir, 'console.log'),
      timeoutMs: options.timeoutMs ?? (accel === 'kvm' ? 8 : 20) * 60_000,
      onConsoleLine: (l) => {
        if (l.startsWith('[vm-init')) log(l);
      },
    },
    log,
  );
  // The archive is rebuilt every run; keep only the logs, and only of the last few runs.
  rmSync(initrd, { force: true });
  // Five runs of all three architectures.
  pruneRuns(join(vmCacheRoot(), 'runs'), 15);
  log(`qemu exited (${boot.code}${boot.timedOut ? ', timed out' : ''}) after ${boot.seconds.toFixed(1)} s; logs in ${workDir}`);
  return {
    vm,
    results: parseResults(boot.results),
    console: boot.console,
    kernel,
    app: { mode: app.mode, notes: app.notes },
    accel,
    exitCode: boot.code,
    timedOut: boot.timedOut,
    timings: { kernelSeconds, initramfsSeconds, initramfsBytes, qemuSeconds: boot.seconds },
    workDir,
  };
}
