// Running the real helm binary (built by the global setup) against the charts in this repo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmPath } from '@gpio-fleet/test-tools/provision';
import { chartPath } from './paths.js';

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

// helm keeps repositories, plugins and caches under these homes; a private set keeps the tests
// independent of whatever the machine's user has configured.
const helmHome = mkdtempSync(join(tmpdir(), 'chart-tests-helm-'));
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

export function helm(args: string[]): HelmResult {
  const res = spawnSync(helmPath(), args, { encoding: 'utf8', env: helmEnv, maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A Kubernetes object as rendered: plain JSON data. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

export interface RenderOptions {
  /** Values files, relative to the chart directory (e.g. "ci/none-values.yaml"). */
  valuesFiles?: string[];
  /** --set assignments, e.g. ["gpio.access=privileged"]. */
  set?: string[];
  release?: string;
  namespace?: string;
}

function templateArgs(chart: string, options: RenderOptions): string[] {
  const args = ['template', options.release ?? chart, chartPath(chart), '--namespace', options.namespace ?? 'gpio'];
  for (const f of options.valuesFiles ?? []) args.push('--values', join(chartPath(chart), f));
  for (const s of options.set ?? []) args.push('--set', s);
  return args;
}

/** `helm template` that is expected to fail; returns helm's output for assertions. */
export function templateFailure(chart: string, options: RenderOptions = {}): HelmResult {
  return helm(templateArgs(chart, options));
}

/** `helm template`, parsed into objects; throws with helm's message when rendering fails. */
export function render(chart: string, options: RenderOptions = {}): K8sObject[] {
  const res = helm(templateArgs(chart, options));
  if (res.status !== 0) throw new Error(`helm template ${chart} failed (exit ${res.status}):\n${res.stderr}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(res.stdout)) {
    if (doc.errors.length > 0) throw new Error(`helm template ${chart} printed invalid YAML: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

export function only<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0] as T;
}
