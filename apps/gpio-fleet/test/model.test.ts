import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeChange, planLabels } from '../src/model/label-plan.js';
import { parseMetrics, sampleValue } from '../src/model/metrics-text.js';
import { summariseNodes } from '../src/model/node-summary.js';
import { rolloutStatus } from '../src/model/rollout.js';

const node = (name: string, labels: Record<string, string> = {}, kernelVersion = '6.1.0-26-amd64'): V1Node => ({
  metadata: { name, labels },
  status: { nodeInfo: { kernelVersion, osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'arm64' } as V1Node['status'] extends infer S ? S extends { nodeInfo?: infer I } ? I : never : never, conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('planLabels', () => {
  const nodes = [node('a'), node('b', { device: 'raspberry' }), node('c', { device: 'other' })];
  it('adds, changes and leaves alone', () => {
    expect(planLabels(nodes, 'device', 'raspberry', false).map((c) => c.action)).toEqual(['add', 'unchanged', 'change']);
  });
  it('removes only where present', () => {
    expect(planLabels(nodes, 'device', 'raspberry', true).map((c) => c.action)).toEqual(['unchanged', 'remove', 'remove']);
  });
  it('describes each change', () => {
    const [add, same, change] = planLabels(nodes, 'device', 'raspberry', false);
    expect(describeChange(add!, 'device', true)).toBe('node/a labelled device=raspberry (dry run)');
    expect(describeChange(same!, 'device', false)).toBe('node/b unchanged (device=raspberry)');
    expect(describeChange(change!, 'device', false)).toBe('node/c relabelled device=other -> device=raspberry');
  });
});

describe('summariseNodes', () => {
  it('joins pods to nodes by app name and detects Pis', () => {
    const pods: V1Pod[] = [
      { metadata: { name: 'ls-1', labels: { 'app.kubernetes.io/name': 'light-sensor' } }, spec: { nodeName: 'pi', containers: [] } },
      { metadata: { name: 'tl-1', labels: { 'app.kubernetes.io/name': 'traffic-light' } }, spec: { nodeName: 'pi', containers: [] } },
      { metadata: { name: 'gone', labels: { 'app.kubernetes.io/name': 'x' }, deletionTimestamp: new Date() }, spec: { nodeName: 'pi', containers: [] } },
    ];
    const rows = summariseNodes([node('vm'), node('pi', { device: 'raspberry' }, '6.6.31+rpt-rpi-v8')], pods, 'device');
    expect(rows.map((r) => [r.name, r.pi, r.label, r.apps])).toEqual([
      ['pi', true, 'raspberry', ['light-sensor', 'traffic-light']],
      ['vm', false, undefined, []],
    ]);
  });
});

describe('rolloutStatus', () => {
  const ds: V1DaemonSet = {
    metadata: { name: 'ls', namespace: 'ns', uid: 'u1', generation: 2, labels: { 'app.kubernetes.io/name': 'light-sensor' } },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2, numberMisscheduled: 0, observedGeneration: 2 },
  };
  const pod = (n: string, image: string): V1Pod => ({
    metadata: { name: `ls-${n}`, ownerReferences: [{ kind: 'DaemonSet', uid: 'u1', name: 'ls', apiVersion: 'apps/v1' }] },
    spec: { nodeName: n, containers: [{ name: 'c', image }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', image, imageID: '', ready: true, restartCount: 3 }] },
  });
  it('is incomplete while a pod runs the old template', () => {
    const s = rolloutStatus(ds, [pod('b', 'img:1'), pod('a', 'img:2')]);
    expect(s.complete).toBe(false);
    expect(s.pods.map((p) => [p.node, p.updated, p.restarts])).toEqual([
      ['a', true, 3],
      ['b', false, 3],
    ]);
  });
  it('places a pod the scheduler has not bound on the node its affinity names, with the reason', () => {
    const pending: V1Pod = {
      metadata: { name: 'ls-x', ownerReferences: [{ kind: 'DaemonSet', uid: 'u1', name: 'ls', apiVersion: 'apps/v1' }] },
      spec: { containers: [{ name: 'c', image: 'img:2' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['pi-x'] }] }] } } } },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
    };
    expect(rolloutStatus(ds, [pending]).pods).toEqual([{ node: 'pi-x', reason: 'Unschedulable', pod: 'ls-x', phase: 'Pending', ready: false, restarts: 0, image: 'img:2', updated: true }]);
  });
  it('is complete when every desired pod is updated and available', () => {
    expect(rolloutStatus({ ...ds, status: { ...ds.status!, updatedNumberScheduled: 2 } }, []).complete).toBe(true);
  });
  it('is incomplete until the controller has observed the latest generation', () => {
    expect(rolloutStatus({ ...ds, status: { ...ds.status!, updatedNumberScheduled: 2, observedGeneration: 1 } }, []).complete).toBe(false);
  });
});

describe('parseMetrics', () => {
  it('reads gauges with and without labels, skipping comments', () => {
    const text = ['# HELP light_sensor_level x', '# TYPE light_sensor_level gauge', 'light_sensor_level{node="pi4-a"} 0.812', 'light_sensor_illuminance_lux 123.5', 'x_bucket{le="+Inf"} 7', ''].join('\n');
    const s = parseMetrics(text);
    expect(sampleValue(s, 'light_sensor_level')).toBe(0.812);
    expect(sampleValue(s, 'light_sensor_illuminance_lux')).toBe(123.5);
    expect(s.find((x) => x.name === 'light_sensor_level')?.labels).toEqual({ node: 'pi4-a' });
    expect(s.find((x) => x.name === 'x_bucket')?.labels).toEqual({ le: '+Inf' });
    expect(sampleValue(s, 'missing')).toBeUndefined();
  });
});
