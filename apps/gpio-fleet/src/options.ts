// Flags every command takes: which cluster, which namespace, which output format, how lists are
// paged; and how the commands that read every pod fetch.
import { opt } from '@gpio-fleet/cli-kit';
import { DEFAULT_PAGE_SIZE } from './kube/paginate.js';

export const OUTPUTS = ['table', 'json'] as const;
export type Output = (typeof OUTPUTS)[number];

export const globalOptions = {
  kubeconfig: opt.string({ flag: 'kubeconfig', placeholder: '<file>', group: 'Cluster', description: 'Kubeconfig file. Without it: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.' }),
  context: opt.string({ flag: 'context', env: 'GPIO_FLEET_CONTEXT', placeholder: '<name>', group: 'Cluster', description: "Kubeconfig context to use instead of the current-context." }),
  namespace: opt.string({ flag: 'namespace', env: 'GPIO_FLEET_NAMESPACE', placeholder: '<name>', group: 'Cluster', description: 'Only look at the gpio-fleet apps in this namespace (default: all namespaces).' }),
  output: opt.oneOf({ flag: 'output', env: 'GPIO_FLEET_OUTPUT', default: 'table', values: OUTPUTS, group: 'Output', description: 'table for people (colours only on a terminal, never with NO_COLOR), json for scripts.' }),
  pageSize: opt.number({ flag: 'page-size', env: 'GPIO_FLEET_PAGE_SIZE', default: String(DEFAULT_PAGE_SIZE), integer: true, min: 1, max: 10_000, group: 'Cluster', description: 'Objects per list request: lists are fetched in pages of this many (limit and continue), so a large fleet never arrives as one response.' }),
};

/** How commands that read every pod's /metrics through the pod proxy (readings, doctor) fetch. */
export const fetchOptions = {
  concurrency: opt.number({ flag: 'concurrency', env: 'GPIO_FLEET_CONCURRENCY', default: '16', integer: true, min: 1, max: 256, group: 'Fetch', description: 'How many pods are read at once through the pod proxy.' }),
  timeout: opt.duration({ flag: 'timeout', env: 'GPIO_FLEET_TIMEOUT', default: '5s', positive: true, group: 'Fetch', description: 'Give up on one pod after this long; it is reported as an error of its node, the others are still shown.' }),
};

export interface FetchSettings {
  concurrency: number;
  /** Seconds. */
  timeout: number;
}

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

export const labelValueOption = opt.custom({
  flag: 'value',
  env: 'GPIO_FLEET_LABEL_VALUE',
  default: 'raspberry',
  placeholder: '<value>',
  accepted: 'a label value: up to 63 of [A-Za-z0-9_.-], starting and ending alphanumeric',
  parse: (raw: string) => {
    if (!/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(raw)) throw new Error(`"${raw}" is not a label value; accepted: up to 63 of [A-Za-z0-9_.-], starting and ending alphanumeric`);
    return raw;
  },
  group: 'Label',
  description: 'The label value the charts select on (set by label).',
});
