// Finding the cluster, in kubectl's order: --kubeconfig, then $KUBECONFIG (a list of files
// joined by ":"), then ~/.kube/config, then the in-cluster service account. --context picks a
// context; without one the kubeconfig's current-context is used.
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '@gpio-fleet/cli-kit';
import { EXIT, KubeError } from './errors.js';

export interface KubeconfigChoice {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

export interface LoadedConfig {
  kc: KubeConfig;
  /** Where the configuration came from, for messages. */
  source: string;
  server: string | undefined;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadKubeconfig(choice: KubeconfigChoice, env: NodeJS.ProcessEnv = process.env, home = homedir()): LoadedConfig {
  const kc = new KubeConfig();
  let source: string;
  if (choice.kubeconfig) {
    if (!existsSync(choice.kubeconfig)) throw new KubeError(`kubeconfig ${choice.kubeconfig} (from --kubeconfig) does not exist`, EXIT.noKubeconfig);
    kc.loadFromFile(choice.kubeconfig);
    source = choice.kubeconfig;
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) throw new KubeError(`none of the files in KUBECONFIG exist: ${env.KUBECONFIG}`, EXIT.noKubeconfig);
    // The library merges the list as kubectl does.
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = present.join(delimiter);
    try {
      kc.loadFromDefault();
    } finally {
      process.env.KUBECONFIG = saved;
    }
    source = `KUBECONFIG=${present.join(delimiter)}`;
  } else if (existsSync(join(home, '.kube', 'config'))) {
    kc.loadFromFile(join(home, '.kube', 'config'));
    source = join(home, '.kube', 'config');
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(join(SA_DIR, 'token'))) {
    kc.loadFromCluster();
    source = 'in-cluster service account';
  } else {
    throw new KubeError('no kubeconfig found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account', EXIT.noKubeconfig);
  }
  if (choice.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(choice.context)) throw new UsageError(`unknown --context "${choice.context}"; ${source} has: ${names.join(', ') || '(none)'}`);
    kc.setCurrentContext(choice.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeError(`${source} has no current context with a cluster; pass --context`, EXIT.noKubeconfig);
  return { kc, source, server: kc.getCurrentCluster()?.server };
}

/** The namespace of the current context (or of the in-cluster service account). */
export function contextNamespace(kc: KubeConfig): string | undefined {
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return ctx?.namespace || undefined;
}
