// Flags every command takes: which cluster, which namespace, which output format.
import { opt } from '@gpio-fleet/cli-kit';

export const OUTPUTS = ['table', 'json'] as const;
export type Output = (typeof OUTPUTS)[number];

export const globalOptions = {
  kubeconfig: opt.string({ flag: 'kubeconfig', placeholder: '<file>', group: 'Cluster', description: 'Kubeconfig file. Without it: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.' }),
  context: opt.string({ flag: 'context', env: 'GPIO_FLEET_CONTEXT', placeholder: '<name>', group: 'Cluster', description: "Kubeconfig context to use instead of the current-context." }),
  namespace: opt.string({ flag: 'namespace', env: 'GPIO_FLEET_NAMESPACE', placeholder: '<name>', group: 'Cluster', description: 'Only look at the gpio-fleet apps in this namespace (default: all namespaces).' }),
  output: opt.oneOf({ flag: 'output', env: 'GPIO_FLEET_OUTPUT', default: 'table', values: OUTPUTS, group: 'Output', description: 'table for people (colours only on a terminal, never with NO_COLOR), json for scripts.' }),
};

export const labelKeyOption = opt.custom({
  flag: 'key',
  env: 'GPIO_FLEET_LABEL_KEY',
  default: 'device',
  placeholder: '<label-key>',
  accepted: 'a Kubernetes label key: [prefix/]name, name up to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric',
  parse: (raw: string) => {
    const m = /^(?:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/)?([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/.exec(raw);
    if (!m || (m[1]?.length ?? 0) > 253) throw new Error(`"${raw}" is not a label key; accepted: [prefix/]name, name up to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric`);
    return raw;
  },
  group: 'Label',
  description: 'The node label the charts select on (their nodeSelector).',
});
