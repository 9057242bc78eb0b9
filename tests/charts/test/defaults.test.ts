// `helm template <app> charts/<app>` with the chart's defaults: what a user gets from a plain
// `helm install light-sensor charts/light-sensor`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { container, daemonSet, envOf, podSpec } from './support/daemonset.js';
import { render } from './support/helm.js';
import { chartPath, appCharts, repoRoot } from './support/paths.js';
import { restrictedRules } from './support/pod-security.js';

const component = { 'light-sensor': 'sensor', 'traffic-light': 'actuator' } as const;

for (const chart of appCharts) {
  describe(`${chart.name} defaults`, () => {
    const objects = render(chart.name);
    const ds = daemonSet(objects);
    const spec = podSpec(objects);
    const c = container(objects);
    const meta = parse(readFileSync(join(chartPath(chart.name), 'Chart.yaml'), 'utf8')) as Record<string, string>;

    it('is chart apiVersion v2, version 0.1.0, appVersion = the app package version', () => {
      const app = JSON.parse(readFileSync(join(repoRoot, 'apps', chart.name, 'package.json'), 'utf8')) as { version: string };
      expect(meta.apiVersion).toBe('v2');
      expect(meta.version).toBe('0.1.0');
      expect(meta.appVersion).toBe(app.version);
    });

    it('renders only a DaemonSet, named after the release', () => {
      expect(objects.map((o) => o.kind)).toEqual(['DaemonSet']);
      expect(ds.metadata.name).toBe(chart.name);
      expect(ds.metadata.namespace).toBe('gpio');
    });

    it('labels everything with app.kubernetes.io/* and helm.sh/chart; selects by name and instance only', () => {
      const labels = {
        'app.kubernetes.io/name': chart.name,
        'app.kubernetes.io/instance': chart.name,
        'app.kubernetes.io/version': meta.appVersion,
        'app.kubernetes.io/component': component[chart.name],
        'app.kubernetes.io/part-of': 'gpio-fleet',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${chart.name}-0.1.0`,
      };
      expect(ds.metadata.labels).toEqual(labels);
      expect(ds.spec.template.metadata.labels).toEqual(labels);
      expect(ds.spec.selector).toEqual({
        matchLabels: { 'app.kubernetes.io/name': chart.name, 'app.kubernetes.io/instance': chart.name },
      });
    });

    it('rolls one node at a time without surge, keeps history, and gives the app time to switch outputs off', () => {
      expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      expect(ds.spec.revisionHistoryLimit).toBe(10);
      expect(spec.terminationGracePeriodSeconds).toBe(10);
    });

    it('runs only on nodes labelled device=raspberry', () => {
      expect(spec.nodeSelector).toEqual({ device: 'raspberry' });
      expect(spec.tolerations).toBeUndefined();
    });

    it(`serves metrics on a container port named metrics = ${chart.port}, probed on /healthz and /readyz`, () => {
      expect(c.ports).toEqual([{ name: 'metrics', containerPort: chart.port, protocol: 'TCP' }]);
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(envOf(c).get('METRICS_PORT')).toBe(String(chart.port));
      expect(ds.spec.template.metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(chart.port),
        'prometheus.io/path': '/metrics',
      });
    });

    it('runs the image of the appVersion, IfNotPresent', () => {
      expect(c.image).toBe(`${chart.repository}:${meta.appVersion}`);
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.args).toBeUndefined();
    });

    it('declares the platforms of its image for gpio-fleet doctor', () => {
      expect(ds.metadata.annotations?.['gpio-fleet.io/platforms']).toBe('linux/amd64,linux/arm64,linux/arm/v7');
      expect(daemonSet(render(chart.name, { set: ['image.platforms={linux/arm64}'] })).metadata.annotations?.['gpio-fleet.io/platforms']).toBe('linux/arm64');
    });

    it('has no privileged container', () => {
      expect(spec.containers.every((x) => x.securityContext?.privileged !== true)).toBe(true);
    });

    // One assertion per rule of the restricted profile, so a failure names the rule.
    it.each(Object.keys(restrictedRules))('meets Pod Security restricted: %s', (rule) => {
      expect(restrictedRules[rule]!(spec as never)).toEqual([]);
    });

    it('runs as nobody (65534) with the gpio group, a read-only root filesystem and no service account token', () => {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, supplementalGroups: [993] });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(spec.volumes).toBeUndefined();
      expect(c.volumeMounts).toBeUndefined();
      expect(spec.automountServiceAccountToken).toBe(false);
    });

    it('requests the GPIO chip from the device plugin and runs the gpiochip backend', () => {
      expect(c.resources?.limits).toMatchObject({ 'gpio-fleet.io/gpiochip': 1 });
      expect(c.resources?.limits?.memory).toBeDefined();
      expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      // The root filesystem is read-only: logs are all the ephemeral storage a pod uses.
      expect(c.resources?.requests?.['ephemeral-storage']).toBe('16Mi');
      expect(c.resources?.limits?.['ephemeral-storage']).toBe('64Mi');
      expect(c.resources?.limits?.cpu).toBeUndefined();
      const env = envOf(c);
      expect(env.get('GPIO_BACKEND')).toBe('gpiochip');
      expect(env.has('GPIO_CHIP')).toBe(false);
    });

    it('passes the node name from the downward API, so every series carries the node', () => {
      expect(c.env?.find((e) => e.name === 'NODE_NAME')).toEqual({
        name: 'NODE_NAME',
        valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
      });
    });
  });
}
