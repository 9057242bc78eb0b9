// What every command gets: the parsed global flags, a connection factory and the output.
import { connect, type Cluster } from './kube/cluster.js';
import { loadKubeconfig } from './kube/kubeconfig.js';
import type { Output } from './options.js';
import { progress, type Progress } from './output/progress.js';
import { useColour } from './output/table.js';

export interface CommandContext {
  output: Output;
  colour: boolean;
  namespace: string | undefined;
  cluster(): Cluster;
  write(text: string): void;
  warn(text: string): void;
  /** "label n/total" on stderr while a long fetch runs, on a terminal only. */
  progress(label: string, total: number): Progress;
}

export function commandContext(
  values: { kubeconfig?: string | undefined; context?: string | undefined; namespace?: string | undefined; output: Output; pageSize?: number | undefined },
  env: NodeJS.ProcessEnv,
): CommandContext {
  let cluster: Cluster | undefined;
  return {
    output: values.output,
    colour: values.output === 'table' && useColour(process.stdout, env),
    namespace: values.namespace || undefined,
    cluster: () => (cluster ??= connect(loadKubeconfig({ kubeconfig: values.kubeconfig, context: values.context }, env), { pageSize: values.pageSize })),
    write: (text) => process.stdout.write(text),
    warn: (text) => process.stderr.write(`gpio-fleet: ${text}\n`),
    progress: (label, total) => progress(process.stderr, label, total),
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
