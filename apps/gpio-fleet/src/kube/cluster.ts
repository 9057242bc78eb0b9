// The only file that talks to the API server. Every call goes through classify(), so each
// failure reaches the user as one clear line and a distinct exit code. Lists come in pages
// (paginate.ts); pod-proxy reads have a deadline of their own, so one silent Pi cannot hold a
// command up.
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  Observable,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1DaemonSet,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { Agent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { VERSION } from '../version.js';
import { classify, EXIT, isApiError, isStatusBody, KubeError } from './errors.js';
import type { LoadedConfig } from './kubeconfig.js';
import { DEFAULT_PAGE_SIZE, listAll } from './paginate.js';

/** Pods and DaemonSets of the gpio-fleet charts carry this label. */
export const PART_OF_SELECTOR = 'app.kubernetes.io/part-of=gpio-fleet';

export interface PodQuery {
  labelSelector?: string;
  fieldSelector?: string;
  namespace?: string | undefined;
}

export interface Cluster {
  server: string | undefined;
  /** The loaded kubeconfig (`gpio-fleet open --serve` signs its own requests with it). */
  config: LoadedConfig;
  listNodes(): Promise<V1Node[]>;
  readNode(name: string): Promise<V1Node>;
  /** Merge-patches labels: a null value removes the label. */
  patchNodeLabels(name: string, labels: Record<string, string | null>, dryRun: boolean): Promise<V1Node>;
  listPods(labelSelector: string, namespace?: string): Promise<V1Pod[]>;
  /** Pods by label and/or field selector (e.g. spec.nodeName=pi4-a), in every namespace unless one is given. */
  queryPods(query: PodQuery): Promise<V1Pod[]>;
  listDaemonSets(labelSelector: string, namespace?: string): Promise<V1DaemonSet[]>;
  /** GET http://<pod>:<port>/<path> through the API server's pod proxy, abandoned after `timeoutMs`. */
  podProxyGet(namespace: string, pod: string, port: number | string, path: string, timeoutMs?: number): Promise<string>;
}

export interface ConnectSettings {
  /** Items per list page (limit). */
  pageSize?: number;
}

/** Identifies the CLI in the API server's logs and audit events. */
export const USER_AGENT = `gpio-fleet/${VERSION}`;

function middleware(pre: (ctx: RequestContext) => void): ObservableMiddleware {
  return {
    pre: (ctx: RequestContext) => {
      pre(ctx);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
}

const userAgent = middleware((ctx) => ctx.setHeaderParam('User-Agent', USER_AGENT));

/**
 * One keep-alive HTTPS agent for every request. The client library makes a new agent for each
 * request, so each opened a new TLS connection (with a client certificate, a full handshake):
 * at a thousand nodes, label --auto and readings spent most of their time in handshakes, on
 * both ends. The agent carries only the TLS settings of the kubeconfig (its CA, client
 * certificate and key); tokens and exec credentials still come per request as headers. Not
 * for clusters reached through a proxy, whose agents the library builds.
 */
function sharedAgent(kc: KubeConfig): Promise<Agent | undefined> {
  const cluster = kc.getCurrentCluster();
  if (!cluster || cluster.proxyUrl || !cluster.server.startsWith('https:')) return Promise.resolve(undefined);
  const tls: { ca?: Buffer | string; cert?: Buffer | string; key?: Buffer | string } = {};
  return kc.applyToHTTPSOptions(tls).then(
    () => new Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !cluster.skipTLSVerify, servername: cluster.tlsServerName, keepAlive: true, maxSockets: 32 }),
  );
}

function reuseConnections(kc: KubeConfig): ObservableMiddleware {
  let agent: Promise<Agent | undefined> | undefined;
  return {
    pre: (ctx: RequestContext) =>
      new Observable(
        (agent ??= sharedAgent(kc)).then((a) => {
          if (a) ctx.setAgent(a);
          return ctx;
        }),
      ),
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
}

export function connect(config: LoadedConfig, settings: ConnectSettings = {}): Cluster {
  const core = config.kc.makeApiClient(CoreV1Api);
  const apps = config.kc.makeApiClient(AppsV1Api);
  const server = config.server;
  const limit = settings.pageSize ?? DEFAULT_PAGE_SIZE;
  const connections = reuseConnections(config.kc);
  const options = { middleware: [userAgent, connections], middlewareMergeStrategy: 'append' as const };
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw classify(e, what, server);
    }
  };
  const inNamespace = (namespace: string | undefined) => (namespace ? ` in namespace ${namespace}` : '');
  const queryPods = ({ labelSelector, fieldSelector, namespace }: PodQuery) =>
    call(`list pods${inNamespace(namespace)}`, () =>
      listAll(limit, (page) =>
        namespace
          ? core.listNamespacedPod({ namespace, labelSelector, fieldSelector, ...page }, options)
          : core.listPodForAllNamespaces({ labelSelector, fieldSelector, ...page }, options),
      ),
    );
  return {
    server,
    config,
    listNodes: () => call('list nodes', () => listAll(limit, (page) => core.listNode(page, options))),
    readNode: (name) => call(`get node ${name}`, () => core.readNode({ name }, options)),
    patchNodeLabels: (name, labels, dryRun) =>
      call(`patch node ${name}`, () =>
        core.patchNode(
          { name, body: { metadata: { labels } }, ...(dryRun ? { dryRun: 'All' } : {}), fieldManager: 'gpio-fleet' },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch, options),
        ),
      ),
    listPods: (labelSelector, namespace) => queryPods({ labelSelector, namespace }),
    queryPods,
    listDaemonSets: (labelSelector, namespace) =>
      call(`list daemonsets${inNamespace(namespace)}`, () =>
        listAll(limit, (page) =>
          namespace ? apps.listNamespacedDaemonSet({ namespace, labelSelector, ...page }, options) : apps.listDaemonSetForAllNamespaces({ labelSelector, ...page }, options),
        ),
      ),
    podProxyGet: (namespace, pod, port, path, timeoutMs) => {
      const what = `read ${path} of pod ${namespace}/${pod} through the pod proxy`;
      // RBAC refuses with a Status object, which concerns every pod; the proxy's own refusal of
      // one pod's address (or the pod's own answer) is plain text, and concerns that pod only.
      const proxied = <T>(f: () => Promise<T>) =>
        call(what, f).catch((e: unknown) => {
          const api = e instanceof KubeError ? e.cause : undefined;
          if (e instanceof KubeError && e.exitCode !== EXIT.unreachable && isApiError(api) && !isStatusBody(api.body)) throw new KubeError(`cannot ${what}: HTTP ${api.code}: ${String(api.body).trim()}`, EXIT.failure, { cause: e });
          throw e;
        });
      if (timeoutMs === undefined) return proxied(() => core.connectGetNamespacedPodProxyWithPath({ namespace, name: `${pod}:${port}`, path }, options));
      const abort = new AbortController();
      const signal = middleware((ctx) => ctx.setSignal(abort.signal));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new KubeError(`cannot ${what}: no answer within ${timeoutMs / 1000} s`, EXIT.failure));
        }, timeoutMs);
      });
      const request = proxied(() =>
        core.connectGetNamespacedPodProxyWithPath({ namespace, name: `${pod}:${port}`, path }, { middleware: [userAgent, connections, signal], middlewareMergeStrategy: 'append' }),
      );
      return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
    },
  };
}
