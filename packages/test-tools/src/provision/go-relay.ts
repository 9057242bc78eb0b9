// Runs one `go build -v` / `go install -v` and reports on it while it runs, so a synchronous
// caller (ensureHelm() in a script, a test's global setup) still shows progress: the caller
// blocks in spawnSync on this process, which prints a line with the elapsed time and the
// packages compiled so far every `intervalMs`, passes go's messages through as they come, and
// ends by writing a JSON summary on stdout.
//
//   node go-relay.js '<RelayRequest as JSON>'   (go's environment is this process's)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GoBuildOutput } from './go-output.js';

export interface RelayRequest {
  label: string;
  go: string;
  args: string[];
  cwd: string;
  intervalMs: number;
  prefix: string;
}

export interface RelayResult {
  code: number | null;
  signal: string | null;
  error?: string;
  seconds: number;
  packages: number;
  downloads: number;
  messages: string[];
}

function main(request: RelayRequest): void {
  const out = new GoBuildOutput();
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`${request.prefix} ${line}\n`);
  const child = spawn(request.go, request.args, { cwd: request.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (out.add(line) === 'message') process.stderr.write(`${line}\n`);
    });
  }
  const timer = setInterval(() => say(out.progressLine(request.label, Date.now() - started)), request.intervalMs);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  let spawnError: string | undefined;
  child.on('error', (e) => (spawnError = e.message));
  child.on('close', (code, signal) => {
    clearInterval(timer);
    const result: RelayResult = {
      code,
      signal,
      ...(spawnError ? { error: spawnError } : {}),
      seconds: (Date.now() - started) / 1000,
      packages: out.packages,
      downloads: out.downloads,
      messages: out.messages.slice(-40),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as RelayRequest);
