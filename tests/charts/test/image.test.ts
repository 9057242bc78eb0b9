// Image reference: tag defaults to appVersion, a digest overrides the tag, global.imageRegistry
// goes in front of the repository (also when a parent chart sets it).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { container, daemonSet, podSpec } from './support/daemonset.js';
import { helm, render } from './support/helm.js';
import { appCharts, chartPath } from './support/paths.js';

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

    it('global.imageRegistry goes in front of image.repository, with a tag or a digest', () => {
      expect(container(render(chart.name, { set: ['global.imageRegistry=mirror.example.com:5000', 'image.tag=1.2.3'] })).image).toBe(
        `mirror.example.com:5000/${chart.repository}:1.2.3`,
      );
      expect(container(render(chart.name, { set: ['global.imageRegistry=harbor.example.com/ghcr-proxy', 'image.repository=gpio-fleet/app', `image.digest=${digest}`] })).image).toBe(
        `harbor.example.com/ghcr-proxy/gpio-fleet/app@${digest}`,
      );
      expect(container(render(chart.name, { set: ['global.imageRegistry='] })).image).toMatch(new RegExp(`^${chart.repository}:`));
    });
  });
}

describe('as the dependency of a parent chart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-parent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("takes global.imageRegistry from the parent's values, next to globals meant for other charts", () => {
    const parent = join(dir, 'fleet');
    mkdirSync(parent);
    writeFileSync(
      join(parent, 'Chart.yaml'),
      `apiVersion: v2\nname: fleet\nversion: 1.0.0\ndependencies:\n  - name: light-sensor\n    version: 0.1.0\n    repository: file://${chartPath('light-sensor')}\n`,
    );
    writeFileSync(join(parent, 'values.yaml'), 'global:\n  imageRegistry: mirror.example.com\n  storageClass: fast\n');
    const update = helm(['dependency', 'update', parent]);
    expect(update.status, update.stderr + update.stdout).toBe(0);
    const res = helm(['template', 'fleet', parent]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('image: "mirror.example.com/ghcr.io/gpio-fleet/light-sensor:0.1.0"');
  });
});
