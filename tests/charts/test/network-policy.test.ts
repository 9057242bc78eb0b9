// networkPolicy.enabled: ingress only to the metrics port, only from the Prometheus pods the
// values name (and extraFrom); no egress at all.
import { describe, expect, it } from 'vitest';
import { daemonSet } from './support/daemonset.js';
import { only, render, type K8sObject } from './support/helm.js';
import { appCharts } from './support/paths.js';

interface Peer {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
type NetworkPolicy = K8sObject & {
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: string[];
    ingress: { from: Peer[]; ports: { port: string | number; protocol: string }[] }[];
    egress?: unknown[];
  };
};

for (const chart of appCharts) {
  describe(`${chart.name} NetworkPolicy`, () => {
    it('is opt-in', () => {
      expect(render(chart.name).some((o) => o.kind === 'NetworkPolicy')).toBe(false);
    });

    it('selects the chart\'s pods, admits the named Prometheus to the metrics port only, and denies all egress', () => {
      const objects = render(chart.name, { set: ['networkPolicy.enabled=true'] });
      const np = only<NetworkPolicy>(objects, 'NetworkPolicy');
      const ds = daemonSet(objects);
      expect(np.metadata).toMatchObject({ name: chart.name, namespace: 'gpio' });
      expect(np.spec.podSelector.matchLabels).toEqual(ds.spec.selector.matchLabels);
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(np.spec.egress).toBeUndefined();
      expect(np.spec.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ port: 'metrics', protocol: 'TCP' }],
        },
      ]);
      // The named port exists on the container.
      expect(ds.spec.template.spec.containers[0]!.ports?.map((p) => p.name)).toEqual(['metrics']);
    });

    it('takes the Prometheus namespace and pod labels from values, and appends extraFrom', () => {
      const np = only<NetworkPolicy>(render(chart.name, { valuesFiles: ['ci/network-policy-values.yaml'] }), 'NetworkPolicy');
      expect(np.spec.ingress[0]!.from).toEqual([
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' } },
        },
        { ipBlock: { cidr: '192.168.1.10/32' } },
      ]);
    });

    it('with empty label maps admits every pod of every namespace, still on the metrics port only', () => {
      const np = only<NetworkPolicy>(render(chart.name, { set: ['networkPolicy.enabled=true', 'networkPolicy.prometheusNamespaceLabels=null', 'networkPolicy.prometheusPodLabels=null'] }), 'NetworkPolicy');
      expect(np.spec.ingress[0]!.from).toEqual([{ namespaceSelector: { matchLabels: {} }, podSelector: { matchLabels: {} } }]);
      expect(np.spec.ingress[0]!.ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    });
  });
}
