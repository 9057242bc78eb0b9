// Documentation: README values tables in sync with values.yaml, every value documented,
// NOTES.txt telling users how to label nodes, check pods and reach metrics.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTable, syncChart, valuesRows } from '../scripts/values-docs.mjs';
import { renderNotes } from './support/notes.js';
import { appCharts, chartPath, chartsDir, libraryChart } from './support/paths.js';

describe('README values tables', () => {
  it.each(appCharts.map((c) => c.name))('%s: README table matches values.yaml and every key is documented', (chart) => {
    const result = syncChart(chartPath(chart));
    expect(result.errors).toEqual([]);
    expect(result.stale, 'README is stale: run npm run charts:generate').toBe(false);
  });

  describe('the generator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'values-docs-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('notices a changed default or comment, and --write fixes it', () => {
      const copy = join(dir, 'light-sensor');
      cpSync(chartPath('light-sensor'), copy, { recursive: true });
      const values = join(copy, 'values.yaml');
      writeFileSync(values, readFileSync(values, 'utf8').replace('  interval: 1s', '  interval: 2s'));
      expect(syncChart(copy).stale).toBe(true);
      expect(syncChart(copy, { write: true }).stale).toBe(true);
      expect(syncChart(copy).stale).toBe(false);
      expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('| `sensor.interval` | string | `"2s"` |');
    });

    it('reports keys without a "# --" comment', () => {
      const { errors } = valuesRows('# -- documented\na: 1\nb: 2\n# -- section\nc:\n  # -- inner\n  d: 1\n  e: 2\n');
      expect(errors).toEqual(['b: no "# -- " comment above it', 'c.e: no "# -- " comment above it']);
    });

    it('treats maps without documented keys as one value, and lists as values', () => {
      const { rows, errors } = valuesRows('# -- sel\nnodeSelector:\n  device: raspberry\n# -- list\nx:\n  - a: 1\n    b: 2\n# -- after\ny: "s"\n');
      expect(errors).toEqual([]);
      expect(renderTable(rows).split('\n').slice(2)).toEqual([
        '| `nodeSelector` | object | `{"device":"raspberry"}` | sel |',
        '| `x` | list | `[{"a":1,"b":2}]` | list |',
        '| `y` | string | `"s"` | after |',
      ]);
    });
  });

  it('each chart README explains node labelling, the GPIO group check and the measured resources', () => {
    for (const chart of appCharts) {
      const readme = readFileSync(join(chartPath(chart.name), 'README.md'), 'utf8');
      expect(readme).toContain('kubectl label node <node-name> device=raspberry');
      expect(readme).toContain('stat -c %g /dev/gpiochip0');
      expect(readme).toContain('pod-security.kubernetes.io/enforce=privileged');
      expect(readme).toMatch(/VmHWM \| VmRSS/);
    }
    expect(readFileSync(join(chartsDir, libraryChart, 'README.md'), 'utf8')).toContain('npm run charts:generate');
  });
});

describe('NOTES.txt', () => {
  for (const chart of appCharts) {
    it(`${chart.name}: how to label a node, check the pods and reach the metrics`, () => {
      const notes = renderNotes(chart.name);
      expect(notes).toContain('kubectl label node <node-name> device=raspberry');
      expect(notes).toContain(`kubectl -n gpio rollout status daemonset/${chart.name}`);
      expect(notes).toContain(`get pods -o wide -l app.kubernetes.io/name=${chart.name},app.kubernetes.io/instance=${chart.name}`);
      expect(notes).toContain(`port-forward "pod/$POD" ${chart.port}:metrics`);
      expect(notes).toContain(`curl -s http://127.0.0.1:${chart.port}/metrics`);
      expect(notes).toContain('stat -c %g /dev/gpiochip0');
      expect(notes).not.toContain('MOCK');
    });

    it(`${chart.name}: says when pods run the mock, or need Pod Security privileged`, () => {
      const none = renderNotes(chart.name, ['gpio.access=none', 'nodeSelector=null']);
      expect(none).toContain('gpio_backend_info{backend="mock"}');
      expect(none).toContain('nodeSelector is empty');
      const privileged = renderNotes(chart.name, ['gpio.access=privileged']);
      expect(privileged).toContain('kubectl label namespace gpio pod-security.kubernetes.io/enforce=privileged --overwrite');
    });
  }
});
