// The outermost frame of every service: help and version, then main(); errors become
// exit codes (2 for bad input, 1 for everything else) with a one-line reason, no stack.
import { arch, version as nodeVersion } from 'node:process';
import { renderHelp, type HelpInfo } from './config/help.js';
import { parseOptions, type OptionSpec, type ParseResult } from './config/options.js';
import { InvalidValueError } from '@gpio-fleet/gpio';
import { UsageError } from './config/usage-error.js';

export interface AppInfo extends HelpInfo {
  name: string;
  version: string;
}

/** "light-sensor 0.1.0 (node v22.12.0, linux/arm64)"; armv7 shows as arm with its float ABI. */
export function versionLine(app: { name: string; version: string }): string {
  return `${app.name} ${app.version} (node ${nodeVersion}, ${process.platform}/${arch})`;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

/** Exit code for an error thrown by an app: InvalidValueError-like and UsageError mean bad input. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return 2;
  if (err instanceof InvalidValueError) return 2;
  return 1;
}

export async function runCli<S extends OptionSpec>(
  app: AppInfo,
  spec: S,
  main: (parsed: ParseResult<S>) => Promise<number>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
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
    process.stderr.write(`${app.name}: ${code === 2 ? '' : 'error: '}${describe(err)}${hint}\n`);
  }
  process.exitCode = code;
}
