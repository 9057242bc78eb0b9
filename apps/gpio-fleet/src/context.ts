// What every command gets: the parsed global flags, a connection factory and the output.
import { connect, type Cluster } from './kube/cluster.js';
import { loadKubeconfig } from './kube/kubeconfig.js';
import type { Output } from './options.js';
import { useColour } from './output/table.js';

export interface CommandContext {
  output: Output;
  colour: boolean;
  namespace: string | undefined;
  cluster(): Cluster;
  write(text: string): void;
  warn(text: string): void;
}

export function commandContext(values: { kubeconfig?: string | undefined; context?: string | undefined; namespace?: string | undefined; output: Output }, env: NodeJS.ProcessEnv): CommandContext {
  let cluster: Cluster | undefined;
  return {
    output: values.output,
    colour: values.output === 'table' && useColour(process.stdout, env),
    namespace: values.namespace || undefined,
    cluster: () => (cluster ??= connect(loadKubeconfig({ kubeconfig: values.kubeconfig, context: values.context }, env))),
    write: (text) => process.stdout.write(text),
    warn: (text) => process.stderr.write(`gpio-fleet: ${text}\n`),
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
