// The command table and the error-to-exit-code frame around every command.
import { exitCodeFor, parseOptions, renderHelp, versionLine, type OptionSpec } from '@gpio-fleet/cli-kit';
import { doctorCommand, runDoctor, type DoctorValues } from './commands/doctor.js';
import { labelCommand, runLabel } from './commands/label.js';
import { nodesCommand, runNodes } from './commands/nodes.js';
import { openCommand, runOpen } from './commands/open.js';
import { readingsCommand, runReadings } from './commands/readings.js';
import { runStatus, statusCommand } from './commands/status.js';
import { commandContext, type CommandContext } from './context.js';
import { EXIT_CODES_HELP } from './kube/errors.js';
import { globalOptions, type FetchSettings, type Output } from './options.js';
import { VERSION } from './version.js';

interface Command {
  name: string;
  usage: string;
  summary: string;
  footer: string;
  options: OptionSpec;
  positionals: boolean;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

export const COMMANDS: Command[] = [
  { ...nodesCommand, run: (ctx, v) => runNodes(ctx, v as { key: string }) },
  { ...labelCommand, run: (ctx, v, p) => runLabel(ctx, v as Parameters<typeof runLabel>[1], p) },
  { ...statusCommand, run: (ctx, v, p) => runStatus(ctx, v as Record<string, never>, p) },
  { ...readingsCommand, run: (ctx, v) => runReadings(ctx, v as unknown as FetchSettings) },
  { ...doctorCommand, run: (ctx, v, p) => runDoctor(ctx, v as unknown as DoctorValues, p) },
  { ...openCommand, run: (ctx, v, p) => runOpen(ctx, v as { serve: boolean; port: number }, p) },
];

const APP = { name: 'gpio-fleet', version: VERSION };

export function topHelp(): string {
  return [
    'Usage: gpio-fleet <command> [options]',
    '',
    'See and manage a Raspberry Pi GPIO fleet on Kubernetes.',
    '',
    'Commands:',
    '  nodes      every node: arch, Raspberry Pi or not, device label, readiness, gpio-fleet apps',
    '  label      label nodes (or every detected Pi with --auto) so the apps run there',
    '  status     rollout of each gpio-fleet DaemonSet and its pods; exit 3 while incomplete',
    '  readings   latest light level and lux per node, through the API server pod proxy',
    '  doctor     what is wrong with each Pi, and how to fix it; exit 3 when a problem was found',
    "  open       a node's status page through the API server pod proxy (--serve: a local proxy)",
    '',
    'Run gpio-fleet <command> --help for its options. Common options: --kubeconfig, --context,',
    '--namespace, --output table|json.',
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return renderHelp({ usage: c.usage, summary: c.summary, footer: `${c.footer}\n\n${EXIT_CODES_HELP}` }, { ...c.options, ...globalOptions });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(sub ? commandHelp(sub) : topHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out(`${versionLine(APP)}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`gpio-fleet: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')} (run gpio-fleet --help)\n`);
    return 2;
  }
  try {
    const spec = { ...command.options, ...globalOptions };
    const parsed = parseOptions(spec, rest, env, { positionals: command.positionals });
    if (parsed.help) {
      io.out(commandHelp(command));
      return 0;
    }
    if (parsed.version) {
      io.out(`${versionLine(APP)}\n`);
      return 0;
    }
    const values = parsed.values as Record<string, unknown> & { kubeconfig?: string; context?: string; namespace?: string; output: Output; pageSize: number };
    const ctx = commandContext(values, env);
    return await command.run({ ...ctx, write: io.out }, values, parsed.positionals);
  } catch (err) {
    const code = exitCodeFor(err);
    const hint = code === 2 ? ` (run gpio-fleet ${command.name} --help)` : '';
    io.err(`gpio-fleet ${command.name}: ${code === 2 ? '' : 'error: '}${describe(err)}${hint}\n`);
    return code;
  }
}
