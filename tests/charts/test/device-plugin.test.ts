// charts/gpio-device-plugin: lint, every ci/ scenario valid against the OpenAPI schema, what
// the DaemonSet gives the plugin (and nothing more), the values the plugin reads, the schema,
// kube-score, the generated parts, NOTES; and that the app charts request what it advertises.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { options as pluginOptions } from '@gpio-fleet/gpio-device-plugin/options';
import { libraryStatus } from '../scripts/library.mjs';
import { syncChart } from '../scripts/values-docs.mjs';
import { container, daemonSet, envOf, hostPaths, podSpec } from './support/daemonset.js';
import { helm, render, templateFailure } from './support/helm.js';
import { validationErrors } from './support/k8s-schema.js';
import { criticals, GRADE, kubeScore } from './support/kube-score.js';
import { renderNotes } from './support/notes.js';
import { appCharts, chartPath, chartsDir } from './support/paths.js';

const CHART = 'gpio-device-plugin';
const dir = chartPath(CHART);
const scenarios = readdirSync(join(dir, 'ci')).filter((f) => f.endsWith('-values.yaml'));
const values = parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as { resource: string; count: number; kubeletDir: string };
const docs = readFileSync(join(dir, 'values.yaml'), 'utf8') + readFileSync(join(dir, 'README.md'), 'utf8');

describe(`${CHART}: helm lint --strict`, () => {
  it.each(['(defaults)', ...scenarios])('%s', (file) => {
    const res = helm(['lint', '--strict', dir, ...(file.startsWith('(') ? [] : ['--values', join(dir, 'ci', file)])]);
    expect(res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });
});

describe(`${CHART}: ci scenarios`, () => {
  it('cover the defaults, other kubelet directories, an explicit device, monitoring, tolerations and a pinned image', () => {
    expect(scenarios.map((f) => f.replace(/-values\.yaml$/, '')).sort()).toEqual(
      ['default', 'device-path', 'digest', 'k3s-legacy', 'kubelet-dir', 'monitoring', 'tolerations'].sort(),
    );
  });

  it.each(scenarios)('ci/%s renders objects valid against the OpenAPI schema, with no unknown fields', (file) => {
    const objects = render(CHART, { valuesFiles: [`ci/${file}`] });
    expect(objects.flatMap(validationErrors)).toEqual([]);
    expect(objects.map((o) => o.kind).sort()).toEqual(file === 'monitoring-values.yaml' ? ['DaemonSet', 'PodMonitor'] : ['DaemonSet']);
  });
});

describe(`${CHART}: the DaemonSet by default`, () => {
  const objects = render(CHART, { namespace: 'kube-system' });
  const ds = daemonSet(objects);
  const spec = podSpec(objects);
  const c = container(objects);
  const env = envOf(c);

  it('is named after the release, selects by name and instance only, on device=raspberry nodes', () => {
    expect(ds.metadata.name).toBe('gpio-device-plugin');
    expect(ds.metadata.namespace).toBe('kube-system');
    expect(ds.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': CHART, 'app.kubernetes.io/instance': CHART });
    expect(ds.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'device-plugin', 'app.kubernetes.io/part-of': 'gpio-fleet' });
    expect(spec.nodeSelector).toEqual({ device: 'raspberry' });
    expect(c.image).toBe('ghcr.io/gpio-fleet/gpio-device-plugin:0.1.0');
  });

  it('runs as root with no capability, no privilege, no escalation and a read-only root filesystem', () => {
    expect(spec.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) expect(spec).not.toHaveProperty(host);
  });

  it("mounts exactly the kubelet's device-plugins directory (read-write) and the host's /dev (read-only)", () => {
    expect(hostPaths(spec)).toEqual(
      new Map([
        ['/var/lib/kubelet/device-plugins', 'Directory'],
        ['/dev', 'Directory'],
      ]),
    );
    expect(c.volumeMounts).toEqual([
      { name: 'device-plugins', mountPath: '/var/lib/kubelet/device-plugins' },
      { name: 'host-dev', mountPath: '/host/dev', readOnly: true },
    ]);
    expect(env.get('GPIO_DEVICE_PLUGIN_KUBELET_DIR')).toBe('/var/lib/kubelet');
    expect(env.get('GPIO_DEVICE_PLUGIN_DEV_DIR')).toBe('/host/dev');
  });

  it('probes /healthz and /readyz on the metrics port, which carries the prometheus.io annotations', () => {
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9112, protocol: 'TCP' }]);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'metrics' } });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'metrics' } });
    expect(ds.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9112', 'prometheus.io/path': '/metrics' });
  });

  it("sets only variables the plugin declares, each parsing to the plugin's own default", () => {
    const declared = new Map(Object.values(pluginOptions).flatMap((o) => (o.env ? [[o.env, o] as const] : [])));
    // The chart's own choices, with the reason; every other variable is the plugin's default.
    const chosen: Record<string, string> = {
      GPIO_DEVICE_PLUGIN_DEV_DIR: "the host's /dev is mounted at /host/dev",
      LOG_FORMAT: 'JSON lines for the log collector, whatever the terminal',
    };
    for (const [name, value] of env) {
      if (name === 'NODE_NAME') continue;
      const option = declared.get(name);
      expect(option, `${name} is not a variable the plugin reads`).toBeDefined();
      if (name in chosen) continue;
      expect(option!.parse(value), name).toEqual(option!.parse(option!.defaultText ?? ''));
    }
    expect(env.has('GPIO_DEVICE_PLUGIN_DEVICE_PATH')).toBe(false);
  });
});

describe(`${CHART}: values the plugin reads`, () => {
  it('kubeletDir moves only the host side of the socket directory', () => {
    for (const [file, path] of [
      ['ci/k3s-legacy-values.yaml', '/var/lib/rancher/k3s/agent/kubelet/device-plugins'],
      ['ci/kubelet-dir-values.yaml', '/data/kubelet/device-plugins'],
    ] as const) {
      const objects = render(CHART, { valuesFiles: [file] });
      expect([...hostPaths(podSpec(objects)).keys()]).toEqual([path, '/dev']);
      expect(envOf(container(objects)).get('GPIO_DEVICE_PLUGIN_KUBELET_DIR')).toBe('/var/lib/kubelet');
    }
  });

  it('resource, count, chip.labels and chip.devicePath become the plugin flags, which accept them', () => {
    const env = envOf(container(render(CHART, { valuesFiles: ['ci/device-path-values.yaml'] })));
    const expected = {
      GPIO_DEVICE_PLUGIN_RESOURCE: 'example.com/gpio',
      GPIO_DEVICE_PLUGIN_COUNT: '2',
      GPIO_DEVICE_PLUGIN_CHIP_LABELS: 'pinctrl-rp1',
      GPIO_DEVICE_PLUGIN_DEVICE_PATH: '/dev/gpiochip2',
    };
    for (const [name, value] of Object.entries(expected)) expect(env.get(name), name).toBe(value);
    const byEnv = new Map(Object.values(pluginOptions).flatMap((o) => (o.env ? [[o.env, o] as const] : [])));
    for (const [name, value] of Object.entries(expected)) expect(() => byEnv.get(name)!.parse(value), name).not.toThrow();
  });

  it('extraArgs, extraEnv, tolerations and a priority class reach the pod', () => {
    const objects = render(CHART, { valuesFiles: ['ci/tolerations-values.yaml'], set: ['extraArgs[0]=--log-level', 'extraArgs[1]=debug', 'extraEnv[0].name=X', 'extraEnv[0].value=y'] });
    expect(container(objects).args).toEqual(['--log-level', 'debug']);
    expect(envOf(container(objects)).get('X')).toBe('y');
    expect(podSpec(objects).priorityClassName).toBe('system-node-critical');
    expect(podSpec(objects).tolerations).toHaveLength(2);
  });
});

describe(`${CHART}: values schema`, () => {
  it.each([
    ['count=0', '/count'],
    ['resource=gpiochip', '/resource'],
    ['resource=kubernetes.io/gpiochip', '/resource'],
    ['kubeletDir=var/lib/kubelet', '/kubeletDir'],
    ['kubeletDir=/', '/kubeletDir'],
    ['chip.devicePath=/tmp/gpiochip0', '/chip/devicePath'],
    ['chip.devicePath=/dev/../etc/passwd', '/chip/devicePath'],
    ['chip.labels=null', "at '/chip': missing property 'labels'"],
    ['chip.labels[0]=a\\,b', "at '/chip/labels/0'"],
    ['pollInterval=0s', '/pollInterval'],
    ['kubeletdir=/var/lib/kubelet', "additional properties 'kubeletdir' not allowed"],
  ])('refuses %s, naming %s', (set, names) => {
    const res = templateFailure(CHART, { set: [set] });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(names);
  });

  it('keeps every key it shares with the app charts as the app charts define it', () => {
    type Schema = { properties: Record<string, unknown>; definitions: Record<string, unknown> };
    const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Schema;
    const mine = read(join(dir, 'values.schema.json'));
    const shared = read(join(chartsDir, 'gpio-fleet-common', 'values', 'shared.schema.json'));
    const own = ['gpio-fleet-common', 'image', 'resource', 'count', 'chip', 'kubeletDir', 'pollInterval', 'metrics', 'updateStrategy', 'terminationGracePeriodSeconds'];
    for (const [key, schema] of Object.entries(mine.properties)) {
      if (!own.includes(key)) expect(schema, key).toEqual(shared.properties[key]);
    }
    for (const [name, schema] of Object.entries(mine.definitions)) expect(schema, name).toEqual(shared.definitions[name]);
    // The image without platforms, which only the apps' doctor check reads.
    const { platforms: _platforms, ...sharedImage } = (shared.properties.image as { properties: Record<string, unknown> }).properties;
    expect((mine.properties.image as { properties: unknown }).properties).toEqual(sharedImage);
  });
});

describe(`${CHART}: kube-score`, () => {
  const manifests = (file: string) => {
    const res = helm(['template', CHART, dir, '--namespace', 'kube-system', '--values', join(dir, 'ci', file)]);
    if (res.status !== 0) throw new Error(res.stderr);
    return res.stdout;
  };
  const ignores = (file: string) => (daemonSet(render(CHART, { valuesFiles: [`ci/${file}`] })).metadata.annotations?.['kube-score/ignore'] ?? '').split(',').sort();

  it.each(scenarios)('ci/%s: no critical; without the annotation exactly the ignored checks fail, each explained', (file) => {
    expect(criticals(kubeScore(manifests(file)))).toEqual([]);
    const failed = [...new Set(kubeScore(manifests(file), ['--disable-ignore-checks-annotations']).filter((c) => !c.skipped && c.grade === GRADE.critical).map((c) => c.id))].sort();
    expect(failed).toEqual(ignores(file));
    for (const id of failed) expect(docs, `values.yaml or README gives no reason for ignoring ${id}`).toContain(`kube-score/ignore: ${id}`);
  });

  it('ignores the pull policy only while it is not Always', () => {
    expect(ignores('default-values.yaml')).toContain('container-image-pull-policy');
    expect(ignores('digest-values.yaml')).not.toContain('container-image-pull-policy');
  });
});

describe(`${CHART}: generated parts and notes`, () => {
  it('the README values table matches values.yaml, and every key is documented', () => {
    const result = syncChart(dir);
    expect(result.errors).toEqual([]);
    expect(result.stale, 'README is stale: run npm run charts:generate').toBe(false);
  });

  it('the packaged library and Chart.lock are current, and helm sees the dependency', () => {
    expect(libraryStatus(CHART)).toEqual([]);
    expect(helm(['dependency', 'list', dir]).stdout).toMatch(/gpio-fleet-common\s+0\.1\.0\s+file:\/\/\.\.\/gpio-fleet-common\s+ok/);
  });

  it('NOTES say what the nodes advertise, what the namespace needs, and what to install next', () => {
    const notes = renderNotes(CHART);
    expect(notes).toContain('advertises\ngpio-fleet.io/gpiochip: 8');
    expect(notes).toContain('pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835');
    expect(notes).toContain('pod-security.kubernetes.io/enforce=privileged');
    expect(notes).toContain(".status.allocatable.gpio-fleet\\.io/gpiochip");
    expect(notes).toContain('helm install light-sensor charts/light-sensor');
    expect(notes).not.toContain('--set gpio.devicePlugin.resource');
    const other = renderNotes(CHART, ['resource=example.com/gpio', 'chip.devicePath=/dev/gpiochip2']);
    expect(other).toContain('--set gpio.devicePlugin.resource=example.com/gpio');
    expect(other).toContain('/dev/gpiochip2 (chip.devicePath)');
  });
});

describe('the app charts and the plugin chart agree', () => {
  it.each(appCharts.map((c) => c.name))('%s requests, by default, the resource the plugin advertises, and its NOTES say to install the plugin first', (app) => {
    expect(container(render(app)).resources?.limits).toMatchObject({ [values.resource]: 1 });
    expect(renderNotes(app)).toContain('Install the device plugin first: helm install gpio-device-plugin charts/gpio-device-plugin');
    expect(readFileSync(join(chartPath(app), 'README.md'), 'utf8')).toContain('helm install gpio-device-plugin charts/gpio-device-plugin');
  });
});
