// Image reference: tag defaults to appVersion, a digest overrides the tag.
import { describe, expect, it } from 'vitest';
import { container, daemonSet, podSpec } from './support/daemonset.js';
import { render } from './support/helm.js';
import { appCharts } from './support/paths.js';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

for (const chart of appCharts) {
  describe(`${chart.name} image`, () => {
    it('image.tag replaces appVersion, in the image and the version label', () => {
      const objects = render(chart.name, { set: ['image.tag=1.2.3'] });
      expect(container(objects).image).toBe(`${chart.repository}:1.2.3`);
      expect(daemonSet(objects).metadata.labels?.['app.kubernetes.io/version']).toBe('1.2.3');
    });

    it('image.digest overrides the tag', () => {
      const objects = render(chart.name, { valuesFiles: ['ci/digest-values.yaml'] });
      const c = container(objects);
      expect(c.image).toBe(`registry.example.com/fleet/app@${digest}`);
      expect(c.image).not.toContain('9.9.9');
      expect(c.imagePullPolicy).toBe('Always');
      expect(podSpec(objects).imagePullSecrets).toEqual([{ name: 'regcred' }]);
    });
  });
}
