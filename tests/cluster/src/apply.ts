// Objects from YAML files into a test cluster, and out again: what `kubectl apply -f` and
// `kubectl delete -f` do, for the suites that install deploy/ manifests and CRDs.
import { readFileSync } from 'node:fs';
import { KubernetesObjectApi, loadAllYaml, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

/** Applies every object of a multi-document YAML file (server-side apply, so reruns work). */
export async function applyYamlFile(kubeConfig: KubeConfig, file: string, fieldManager = 'gpio-fleet-tests'): Promise<KubernetesObject[]> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const docs = (loadAllYaml(readFileSync(file, 'utf8')) as (KubernetesObject | null)[]).filter((d): d is KubernetesObject => d !== null);
  const out: KubernetesObject[] = [];
  for (const d of docs) out.push(await client.patch(d, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply));
  return out;
}

/** Deletes `objects` in reverse order of applying; one that is already gone is fine. */
export async function deleteObjects(kubeConfig: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const o of [...objects].reverse()) await client.delete(o).catch(() => undefined);
}
