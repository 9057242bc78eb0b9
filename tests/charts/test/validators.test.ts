// The validators used on rendered objects must be able to fail: a wrong type, a missing
// required field and a misspelled field are each caught.
import { describe, expect, it } from 'vitest';
import { render, type K8sObject } from './support/helm.js';
import { schemaErrors, unknownFields } from './support/k8s-schema.js';

const clone = <T>(o: T): T => structuredClone(o);

describe('object validation', () => {
  const objects = render('light-sensor', { valuesFiles: ['ci/monitoring-values.yaml'] });
  const byKind = (kind: string): K8sObject => objects.find((o) => o.kind === kind)!;

  it('accepts the rendered objects as they are', () => {
    for (const o of objects) {
      expect(schemaErrors(o)).toEqual([]);
      expect(unknownFields(o)).toEqual([]);
    }
  });

  it('reports a wrong type (string container port)', () => {
    const ds = clone(byKind('DaemonSet')) as K8sObject & { spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } } };
    ds.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'metrics';
    expect(schemaErrors(ds).join('\n')).toMatch(/containerPort must be integer/);
  });

  it('reports a missing required field (DaemonSet without selector)', () => {
    const ds = clone(byKind('DaemonSet')) as K8sObject & { spec: Record<string, unknown> };
    delete ds.spec.selector;
    expect(schemaErrors(ds).join('\n')).toMatch(/selector/);
  });

  it('reports misspelled fields at any depth, which the OpenAPI validator lets through', () => {
    const ds = clone(byKind('DaemonSet')) as K8sObject & { spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
    ds.spec.template.spec.nodeSelecter = { device: 'raspberry' };
    (ds.spec.template.spec.containers[0]!.securityContext as Record<string, unknown>).readOnlyRootFileSystem = true;
    expect(schemaErrors(ds)).toEqual([]);
    expect(unknownFields(ds).sort()).toEqual([
      'DaemonSet/light-sensor.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field',
      'DaemonSet/light-sensor.spec.template.spec.nodeSelecter: unknown field',
    ]);
  });

  it('checks the CRDs too: ServiceMonitor endpoint typo and bad interval', () => {
    const sm = clone(byKind('ServiceMonitor')) as K8sObject & { spec: { endpoints: Record<string, unknown>[] } };
    sm.spec.endpoints[0]!.intervall = '30s';
    sm.spec.endpoints[0]!.interval = 'soon';
    expect(unknownFields(sm)).toEqual(['ServiceMonitor/light-sensor.spec.endpoints[0].intervall: unknown field']);
    expect(schemaErrors(sm).join('\n')).toMatch(/interval must match pattern/);
  });

  it('refuses kinds it has no schema for', () => {
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toEqual([
      'no schema known for v1 Secret: add it to test/support/model-types.ts',
    ]);
  });
});
