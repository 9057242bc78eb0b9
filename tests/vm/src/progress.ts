// Progress lines for the long steps (first module build, VM boot), on stderr with elapsed time.
import { spawn } from 'node:child_process';

export type Log = (msg: string) => void;

export function stderrLog(prefix = 'vm'): Log {
  const t0 = Date.now();
  return (msg) => process.stderr.write(`[${prefix} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

/** Run a command; resolve with stdout, reject with its stderr tail. Output is not streamed. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${(err || out).slice(-4000)}`));
    });
  });
}

/** Run a bash pipeline with pipefail, so a failing stage is not hidden. */
export const bash = (script: string, cwd?: string): Promise<string> =>
  run('bash', ['-c', `set -euo pipefail; ${script}`], cwd === undefined ? {} : { cwd });
