// gpio-fleet open <node> [app]: where a Pi's status page is, through the API server's pod
// proxy (no network path to the node needed, only RBAC on pods/proxy); with --serve, a local
// proxy that adds the kubeconfig's credentials so a browser can open it.
import { opt, UsageError } from '@gpio-fleet/cli-kit';
import type { V1Pod } from '@kubernetes/client-node';
import { PART_OF_SELECTOR } from '../kube/cluster.js';
import { EXIT, KubeError } from '../kube/errors.js';
import { podProxyUrl, startLocalProxy } from '../kube/pod-proxy.js';
import { json, type CommandContext } from '../context.js';
import { metricsPort } from './readings.js';

/** The apps with a status page, and the port each serves it on when the pod does not name one. */
export const APP_PORTS: Readonly<Record<string, number>> = { 'light-sensor': 9110, 'traffic-light': 9111 };
const APPS = Object.keys(APP_PORTS);

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NODE_FORM = 'a node name: lower-case letters, digits, "-" and ".", starting and ending alphanumeric, up to 253 characters';

export const openCommand = {
  name: 'open',
  usage: 'gpio-fleet open <node> [app] [--serve [--port <int>]] [options]',
  summary:
    "Prints the URL of an app's status page on a node, through the API server's pod proxy (…/api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/), for a browser that already holds cluster credentials. With --serve it runs a local proxy on 127.0.0.1 that adds the kubeconfig's credentials, prints its URL and serves until Ctrl-C. APP is light-sensor or traffic-light; without it, the one gpio-fleet app on the node.",
  footer: ['Examples:', '  gpio-fleet open pi4-a', '  gpio-fleet open pi4-a traffic-light', '  gpio-fleet open pi4-a light-sensor --serve --port 8110'].join('\n'),
  options: {
    serve: opt.switch({ flag: 'serve', group: 'Open', description: "Run a local HTTP proxy on 127.0.0.1 to the page, with the kubeconfig's credentials; print its URL; stop on Ctrl-C." }),
    port: opt.number({ flag: 'port', default: '0', integer: true, min: 0, max: 65535, group: 'Open', description: 'With --serve: the local port (0 picks a free one).' }),
  },
  positionals: true,
};

export interface OpenTarget {
  node: string;
  app: string;
  namespace: string;
  pod: string;
  url: string;
}

const running = (p: V1Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;
const appOf = (p: V1Pod) => p.metadata?.labels?.['app.kubernetes.io/name'] ?? '?';

/** The status page of `app` (or of the node's only app) on `node`; exit 7 when there is none. */
export async function findPage(ctx: CommandContext, node: string, app: string | undefined): Promise<OpenTarget> {
  const cluster = ctx.cluster();
  await cluster.readNode(node).catch((e: unknown) => {
    if (e instanceof KubeError && e.exitCode === EXIT.notFound) throw new KubeError(`unknown node "${node}" (see gpio-fleet nodes)`, EXIT.notFound, { cause: e });
    throw e;
  });
  const selector = app ? `${PART_OF_SELECTOR},app.kubernetes.io/name=${app}` : PART_OF_SELECTOR;
  const pods = (await cluster.listPods(selector, ctx.namespace)).filter((p) => p.spec?.nodeName === node && running(p) && APPS.includes(appOf(p)));
  const where = ctx.namespace ? ` in namespace ${ctx.namespace}` : '';
  if (pods.length === 0) throw new KubeError(`no running ${app ?? 'gpio-fleet app'} pod on node "${node}"${where} (see gpio-fleet status)`, EXIT.notFound);
  const apps = [...new Set(pods.map(appOf))].sort();
  if (apps.length > 1) throw new UsageError(`node "${node}" runs ${apps.join(' and ')}: name one, e.g. gpio-fleet open ${node} ${apps[0]}`);
  if (pods.length > 1) {
    const namespaces = pods.map((p) => p.metadata?.namespace ?? '?').sort();
    throw new UsageError(`node "${node}" runs ${apps[0]} in namespaces ${namespaces.join(', ')}: pass --namespace`);
  }
  const pod = pods[0]!;
  const name = appOf(pod);
  const namespace = pod.metadata?.namespace ?? 'default';
  const podName = pod.metadata?.name ?? '';
  if (!cluster.server) throw new KubeError('the kubeconfig names no API server for the current context', EXIT.noKubeconfig);
  return { node, app: name, namespace, pod: podName, url: podProxyUrl(cluster.server, namespace, podName, metricsPort(pod, APP_PORTS[name])) };
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

export async function runOpen(ctx: CommandContext, values: { serve: boolean; port: number }, positionals: readonly string[]): Promise<number> {
  if (positionals.length === 0 || positionals.length > 2) throw new UsageError(`expected <node> [app], got ${positionals.length === 0 ? 'nothing' : positionals.join(' ')}`);
  const [node, app] = positionals as [string, string | undefined];
  if (node.length > 253 || !NODE_NAME.test(node)) throw new UsageError(`"${node}" is not a node name; accepted: ${NODE_FORM}`);
  if (app !== undefined && !APPS.includes(app)) throw new UsageError(`unknown app "${app}"; accepted: ${APPS.join(' | ')}`);
  const target = await findPage(ctx, node, app);
  if (!values.serve) {
    ctx.write(ctx.output === 'json' ? json(target) : `${target.url}\n`);
    return 0;
  }
  const proxy = await startLocalProxy(ctx.cluster().config.kc, target.url, { host: '127.0.0.1', port: values.port }).catch((e: unknown) => {
    throw new KubeError(`cannot listen on 127.0.0.1:${values.port}: ${e instanceof Error ? e.message : String(e)}`, EXIT.failure, { cause: e });
  });
  const stopped = stopSignal();
  ctx.write(ctx.output === 'json' ? json({ ...target, localUrl: proxy.url }) : `${proxy.url}\n`);
  ctx.warn(`serving ${target.app} on ${target.node} (${target.namespace}/${target.pod}) at ${proxy.url} through ${target.url}; Ctrl-C stops`);
  await stopped;
  await proxy.close();
  return 0;
}
