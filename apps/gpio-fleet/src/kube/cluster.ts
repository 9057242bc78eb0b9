// The only file that talks to the API server. Every call goes through classify(), so each
// failure reaches the user as one clear line and a distinct exit code.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1DaemonSet, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { classify } from './errors.js';
import type { LoadedConfig } from './kubeconfig.js';

/** Pods and DaemonSets of the gpio-fleet charts carry this label. */
export const PART_OF_SELECTOR = 'app.kubernetes.io/part-of=gpio-fleet';

export interface Cluster {
  server: string | undefined;
  listNodes(): Promise<V1Node[]>;
  readNode(name: string): Promise<V1Node>;
  /** Merge-patches labels: a null value removes the label. */
  patchNodeLabels(name: string, labels: Record<string, string | null>, dryRun: boolean): Promise<V1Node>;
  listPods(labelSelector: string, namespace?: string): Promise<V1Pod[]>;
  listDaemonSets(labelSelector: string, namespace?: string): Promise<V1DaemonSet[]>;
  /** GET http://<pod>:<port>/<path> through the API server's pod proxy. */
  podProxyGet(namespace: string, pod: string, port: number | string, path: string): Promise<string>;
}

export function connect(config: LoadedConfig): Cluster {
  const core = config.kc.makeApiClient(CoreV1Api);
  const apps = config.kc.makeApiClient(AppsV1Api);
  const server = config.server;
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw classify(e, what, server);
    }
  };
  return {
    server,
    listNodes: () => call('list nodes', async () => (await core.listNode()).items),
    readNode: (name) => call(`get node ${name}`, () => core.readNode({ name })),
    patchNodeLabels: (name, labels, dryRun) =>
      call(`patch node ${name}`, () =>
        core.patchNode({ name, body: { metadata: { labels } }, ...(dryRun ? { dryRun: 'All' } : {}), fieldManager: 'gpio-fleet' }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      ),
    listPods: (labelSelector, namespace) =>
      call(`list pods${namespace ? ` in namespace ${namespace}` : ''}`, async () =>
        (namespace ? await core.listNamespacedPod({ namespace, labelSelector }) : await core.listPodForAllNamespaces({ labelSelector })).items,
      ),
    listDaemonSets: (labelSelector, namespace) =>
      call(`list daemonsets${namespace ? ` in namespace ${namespace}` : ''}`, async () =>
        (namespace ? await apps.listNamespacedDaemonSet({ namespace, labelSelector }) : await apps.listDaemonSetForAllNamespaces({ labelSelector })).items,
      ),
    podProxyGet: (namespace, pod, port, path) =>
      call(`read ${path} of pod ${namespace}/${pod} through the pod proxy`, () => core.connectGetNamespacedPodProxyWithPath({ namespace, name: `${pod}:${port}`, path })),
  };
}
