// Runs the built executables (natively or under qemu) and knows what each should report.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryName, type AppName } from '../../src/apps.js';
import { outputDirs, repoRoot } from '../../src/paths.js';
import { loadRuntimePins } from '../../src/runtime.js';
import { emulated, TARGETS, type TargetArch } from '../../src/targets.js';

export const binDir = outputDirs().bin;
export const pins = loadRuntimePins();

export function binaryPath(app: AppName, arch: TargetArch, dir: string = binDir): string {
  return join(dir, binaryName(app, arch));
}

export function appVersion(app: AppName): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'apps', app, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunTargetOptions {
  env?: NodeJS.ProcessEnv;
  /** Wrap the (possibly emulated) command, e.g. in unshare. */
  wrap?: (cmd: string, args: string[]) => [string, string[]];
  timeoutMs?: number;
  /** Called with the child once it runs (to send signals). */
  onStart?: (child: import('node:child_process').ChildProcess) => void;
}

/** Run a target-architecture binary on this x64 host and collect everything it printed. */
export function runTarget(arch: TargetArch, file: string, args: readonly string[], o: RunTargetOptions = {}): Promise<Ran> {
  let [cmd, argv] = emulated(TARGETS[arch], file, args);
  if (o.wrap) [cmd, argv] = o.wrap(cmd, argv);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
    o.onStart?.(child);
  });
}

/** Every line of `text` that is a JSON object, parsed. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
