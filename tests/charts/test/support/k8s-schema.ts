// Offline validation of rendered objects against the Kubernetes OpenAPI schema
// (kubernetes-models) and the prometheus-operator CRD schemas. Those validators accept fields
// they do not know, as the API server's schema does, so typos like "securityContxt" would pass;
// unknownFields() closes that gap by walking each object against the generated model types.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { RenderedKinds } from './model-types.js';
import type { K8sObject } from './helm.js';

type KindKey = keyof RenderedKinds;

// The model constructors take their own interface; the rendered objects are checked at run time.
const models: Record<KindKey, new (data: never) => { validate(): void }> = {
  'apps/v1 DaemonSet': DaemonSet,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'monitoring.coreos.com/v1 ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1 PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1 PrometheusRule': PrometheusRule,
  'networking.k8s.io/v1 NetworkPolicy': NetworkPolicy,
};

const kindKey = (o: K8sObject): string => `${o.apiVersion} ${o.kind}`;

/** Schema errors (types, formats, enums, required fields), as messages; empty when valid. */
export function schemaErrors(object: K8sObject): string[] {
  const Model = models[kindKey(object) as KindKey];
  if (!Model) return [`no schema known for ${kindKey(object)}: add it to test/support/model-types.ts`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (e) {
    return [`${kindKey(object)} ${object.metadata?.name}: ${(e as Error).message}`];
  }
}

interface ModelTypes {
  checker: ts.TypeChecker;
  roots: Map<string, ts.Type>;
}

let modelTypes: ModelTypes | undefined;

// Compiling the model declarations takes a few seconds; do it once per test file.
function loadModelTypes(): ModelTypes {
  if (modelTypes) return modelTypes;
  const file = fileURLToPath(new URL('./model-types.ts', import.meta.url));
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const decl = source?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'RenderedKinds',
  );
  if (!decl) throw new Error(`RenderedKinds not found in ${file}`);
  const roots = new Map<string, ts.Type>();
  for (const prop of checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name))) {
    const type = checker.getTypeOfSymbol(prop);
    // A model that failed to resolve would make every field look allowed; refuse instead.
    if (type.flags & ts.TypeFlags.Any) throw new Error(`model type for ${prop.name} did not resolve (is the package installed?)`);
    roots.set(prop.name, type);
  }
  modelTypes = { checker, roots };
  return modelTypes;
}

function walk(types: ModelTypes, value: unknown, type: ts.Type, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const { checker } = types;
  const members = (type.isUnion() ? type.types : [type]).filter(
    (m) => (m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0,
  );
  if (Array.isArray(value)) {
    const element = members.map((m) => checker.getIndexInfoOfType(m, ts.IndexKind.Number)?.type).find((t) => t !== undefined);
    if (element) value.forEach((item, i) => walk(types, item, element, `${path}[${i}]`, out));
    return;
  }
  // Only object types list fields; any/unknown (free-form JSON) and primitives end the walk.
  const objects = members.filter((m) => (m.flags & ts.TypeFlags.Object) !== 0);
  if (objects.length === 0) return;
  for (const [key, child] of Object.entries(value)) {
    let childType: ts.Type | undefined;
    for (const m of objects) {
      const prop = checker.getPropertyOfType(m, key);
      childType = prop ? checker.getTypeOfSymbol(prop) : checker.getIndexInfoOfType(m, ts.IndexKind.String)?.type;
      if (childType) break;
    }
    if (childType) walk(types, child, childType, `${path}.${key}`, out);
    else out.push(`${path}.${key}: unknown field`);
  }
}

/** Fields the object's schema does not define, as "<kind>/<name>.<path>: unknown field". */
export function unknownFields(object: K8sObject): string[] {
  const types = loadModelTypes();
  const root = types.roots.get(kindKey(object));
  if (!root) return [`no model type for ${kindKey(object)}`];
  const out: string[] = [];
  walk(types, object, root, `${object.kind}/${object.metadata?.name}`, out);
  return out;
}

/** Every problem with one rendered object: schema errors and unknown fields. */
export function validationErrors(object: K8sObject): string[] {
  const errors = schemaErrors(object);
  return errors.length > 0 && errors[0]?.startsWith('no schema') ? errors : [...errors, ...unknownFields(object)];
}
