// The outermost frame of every command: help and version, then main(); errors become exit
// codes with a one-line reason and no stack.
import { arch, version as nodeVersion } from 'node:process';
import { renderHelp, type HelpInfo } from './options/help.js';
import { parseOptions, type OptionSpec, type ParseResult } from './options/options.js';

export interface AppInfo extends HelpInfo {
  name: string;
  version: string;
}

/** "light-sensor 0.1.0 (node v22.12.0, linux/arm64)"; armv7 shows as arm with its float ABI. */
export function versionLine(app: { name: string; version: string }): string {
  return `${app.name} ${app.version} (node ${nodeVersion}, ${process.platform}/${arch})`;
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

/**
 * The exit code for an error that ended a command. Any error may carry its own `exitCode`
 * (UsageError and the GPIO package's InvalidValueError carry 2, the fleet CLI's API errors
 * theirs), so no layer needs to know the error classes of the layers above it; anything
 * else is 1.
 */
export function exitCodeFor(err: unknown): number {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 ? code : 1;
}

/** How long a finished command may take to drain before a leftover handle is reported. */
const DRAIN_MS = 2000;
const LATE_SIGNAL_MS = 50;

export async function runCli<S extends OptionSpec>(
  app: AppInfo,
  spec: S,
  main: (parsed: ParseResult<S>) => Promise<number>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let code: number;
  try {
    const parsed = parseOptions(spec, argv, env);
    if (parsed.help) {
      process.stdout.write(renderHelp(app, spec));
      code = 0;
    } else if (parsed.version) {
      process.stdout.write(`${versionLine(app)}\n`);
      code = 0;
    } else {
      code = await main(parsed);
    }
  } catch (err) {
    code = exitCodeFor(err);
    const hint = code === 2 ? ` (run ${app.name} --help for usage)` : '';
    process.stderr.write(`${app.name}: ${code === 2 ? '' : 'error: '}${describeError(err)}${hint}\n`);
  }
  process.exitCode = code;
  // Node puts a signal's default action back as it tears its handles down at exit, so a second
  // SIGTERM or SIGINT sent together with the first, but delivered in the last milliseconds,
  // would kill the process after a clean stop (exit by signal, not `code`). The lifecycle's
  // listeners stay on for good once it stops; this keeps the loop alive a moment longer, so
  // such a signal reaches them rather than the default action. A command that handles no
  // signal (the fleet CLI) ends at once.
  if (process.listenerCount('SIGTERM') + process.listenerCount('SIGINT') > 0) setTimeout(() => undefined, LATE_SIGNAL_MS);
  // main has released everything it opened, so the event loop should now drain and the
  // process end with `code`. If a stray handle keeps it alive, say so and end anyway: a pod
  // that never exits after "stopped" would otherwise wait for its SIGKILL.
  setTimeout(() => {
    process.stderr.write(`${app.name}: warning: still running ${DRAIN_MS} ms after it stopped (a handle was left open); exiting with ${code}\n`);
    process.exit(code);
  }, DRAIN_MS).unref();
  return code;
}
