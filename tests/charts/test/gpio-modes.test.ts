// gpio.access: what each mode gives the pod (and nothing more).
import { describe, expect, it } from 'vitest';
import { container, envOf, hostPaths, podSpec } from './support/daemonset.js';
import { render } from './support/helm.js';
import { appCharts } from './support/paths.js';
import { restrictedViolations } from './support/pod-security.js';

const backends = {
  gpiochip: { paths: { '/dev/gpiochip0': 'CharDevice' }, root: false },
  pigpio: { paths: { '/dev/mem': 'CharDevice', '/dev/gpiomem': 'CharDevice' }, root: true },
  onoff: { paths: { '/sys/class/gpio': 'Directory', '/sys/devices/platform': 'Directory' }, root: false },
} as const;

for (const chart of appCharts) {
  describe(`${chart.name} privileged mode`, () => {
    it('--set gpio.access=privileged: a privileged container with only /dev/gpiochip0 mounted', () => {
      const objects = render(chart.name, { set: ['gpio.access=privileged'] });
      const c = container(objects);
      expect(c.securityContext?.privileged).toBe(true);
      expect(Object.fromEntries(hostPaths(podSpec(objects)))).toEqual({ '/dev/gpiochip0': 'CharDevice' });
      expect(c.volumeMounts).toEqual([{ name: 'host-dev-gpiochip', mountPath: '/dev/gpiochip0' }]);
      expect(envOf(c).get('GPIO_BACKEND')).toBe('gpiochip');
      expect(envOf(c).get('GPIO_CHIP')).toBe('gpiochip0');
    });

    for (const [backend, want] of Object.entries(backends)) {
      it(`backend ${backend}: mounts exactly ${Object.keys(want.paths).join(', ')}${want.root ? ', as root' : ''}`, () => {
        const objects = render(chart.name, { set: ['gpio.access=privileged', `gpio.privileged.backend=${backend}`] });
        const spec = podSpec(objects);
        const c = container(objects);
        expect(Object.fromEntries(hostPaths(spec))).toEqual(want.paths);
        // Each host path is mounted at the same path inside the container.
        const hostMounts = (c.volumeMounts ?? []).filter((m) => spec.volumes?.find((v) => v.name === m.name)?.hostPath);
        expect(hostMounts.map((m) => m.mountPath).sort()).toEqual(Object.keys(want.paths).sort());
        expect(c.securityContext).toMatchObject({ privileged: true, readOnlyRootFilesystem: true });
        expect(envOf(c).get('GPIO_BACKEND')).toBe(backend);
        expect(c.resources?.limits).not.toHaveProperty(['gpio-fleet.io/gpiochip']);
        if (want.root) {
          expect(spec.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false });
        } else {
          expect(spec.securityContext).toMatchObject({ runAsUser: 65534, runAsNonRoot: true, supplementalGroups: [993] });
        }
        // Sanity check of the checker itself: this pod must not pass as restricted.
        expect(restrictedViolations(spec as never).join('\n')).toMatch(/privileged containers: container/);
      });
    }

    it('pigpio also gets a small in-memory /var/run for its lock file (root fs stays read-only)', () => {
      const objects = render(chart.name, { set: ['gpio.access=privileged', 'gpio.privileged.backend=pigpio'] });
      const spec = podSpec(objects);
      expect(spec.volumes?.find((v) => v.name === 'var-run')).toEqual({ name: 'var-run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
      expect(container(objects).volumeMounts).toContainEqual({ name: 'var-run', mountPath: '/var/run' });
    });

    it('gpio.privileged.chip picks the character device (Pi 5 with an older kernel: gpiochip4)', () => {
      const objects = render(chart.name, { valuesFiles: ['ci/privileged-gpiochip-values.yaml'] });
      expect(Object.fromEntries(hostPaths(podSpec(objects)))).toEqual({ '/dev/gpiochip4': 'CharDevice' });
      expect(envOf(container(objects)).get('GPIO_CHIP')).toBe('gpiochip4');
    });
  });

  describe(`${chart.name} none mode`, () => {
    const objects = render(chart.name, { valuesFiles: ['ci/none-values.yaml'] });
    const spec = podSpec(objects);
    const c = container(objects);

    it('runs the mock backend with no host access, as restricted', () => {
      expect(envOf(c).get('GPIO_BACKEND')).toBe('mock');
      expect(restrictedViolations(spec as never)).toEqual([]);
      expect(spec.volumes).toBeUndefined();
      expect(spec.securityContext).not.toHaveProperty('supplementalGroups');
      expect(Object.keys(c.resources?.limits ?? {}).sort()).toEqual(['ephemeral-storage', 'memory']);
      expect(spec.nodeSelector).toBeUndefined();
    });
  });

  describe(`${chart.name} devicePlugin mode`, () => {
    it('takes another plugin resource name, chip and group', () => {
      const objects = render(chart.name, { valuesFiles: ['ci/device-plugin-squat-values.yaml'] });
      const c = container(objects);
      expect(c.resources?.limits).toEqual({ memory: '128Mi', 'ephemeral-storage': '64Mi', 'squat.ai/gpio': 1 });
      expect(envOf(c).get('GPIO_CHIP')).toBe('gpiochip0');
      expect(podSpec(objects).securityContext?.supplementalGroups).toEqual([997]);
      expect(restrictedViolations(podSpec(objects) as never)).toEqual([]);
    });
  });
}

describe('light-sensor mock settings', () => {
  it('passes mock.lux and mock.fault only in mode none', () => {
    const none = envOf(container(render('light-sensor', { valuesFiles: ['ci/none-values.yaml'] })));
    expect(none.get('MOCK_LUX')).toBe('steps:1,10,100,1000@30s');
    expect(none.get('MOCK_FAULT')).toBe('none');
    const chartDefault = envOf(container(render('light-sensor', { set: ['gpio.access=none'] })));
    expect(chartDefault.get('MOCK_LUX')).toBe('daynight:10m');
    for (const access of ['devicePlugin', 'privileged']) {
      const env = envOf(container(render('light-sensor', { set: [`gpio.access=${access}`] })));
      expect(env.has('MOCK_LUX')).toBe(false);
      expect(env.has('MOCK_FAULT')).toBe(false);
    }
  });
});
