// What the benchmark ran on: results mean little without the machine next to them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  os: string;
  node: string;
  python: string | undefined;
  gpiozero: string | undefined;
  wrk: string | undefined;
  loadAverage: number[];
  loadAverageAtEnd?: number[];
}

const tryRead = (f: string): string | undefined => {
  try {
    return readFileSync(f, 'utf8').trim();
  } catch {
    return undefined;
  }
};

const tryRun = (cmd: string, args: string[]): string | undefined => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/** `python` is the interpreter the gpiozero contenders run on. */
export function describeMachine(python: string): Machine {
  const os = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(tryRead('/etc/os-release') ?? '')?.[1];
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel: release(),
    os: os ?? 'unknown',
    node: process.version,
    python: tryRun(python, ['-c', 'import platform; print(platform.python_version())']),
    gpiozero: tryRun(python, ['-c', 'from importlib.metadata import version; print(version("gpiozero"))']),
    wrk: tryRun('dpkg-query', ['-W', '-f=${Version}', 'wrk']),
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** One line for the README and the printed report. */
export function machineLine(m: Machine): string {
  return `${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, kernel ${m.kernel}, Node ${m.node}, Python ${m.python}, gpiozero ${m.gpiozero}, wrk ${m.wrk}`;
}
