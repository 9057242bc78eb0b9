// The values and schema parts the app charts share are generated from one source,
// charts/gpio-fleet-common/values/, into each chart's plain values.yaml and values.schema.json.
// The generated parts must be current; the generator keeps each chart's own keys and refuses a
// source it cannot apply, naming what to fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GENERATE_COMMAND } from '../scripts/charts.mjs';
import { generate, sharedStatus, writeShared } from '../scripts/shared-values.mjs';
import { scratchCharts } from './support/scratch-charts.js';
import { appCharts, libraryChart } from './support/paths.js';

/** A scratch copy of charts/, to break and repair. */
const { copyOfCharts } = scratchCharts('shared-values');
const edit = (path: string, from: string | RegExp, to: string): void => {
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${path}: ${from} not found`);
  writeFileSync(path, next);
};
const source = (root: string, file: string): string => join(root, libraryChart, 'values', file);

describe('shared values and schema', () => {
  it.each(appCharts.map((c) => c.name))('charts/%s: the shared parts of values.yaml and values.schema.json are current', (app) => {
    expect(sharedStatus(app), `run: ${GENERATE_COMMAND}`).toEqual([]);
  });

  it('a change to the shared source reaches every chart, with its parameters', () => {
    const root = copyOfCharts();
    edit(source(root, 'shared.yaml'), '  pullPolicy: IfNotPresent', '  pullPolicy: Always');
    edit(source(root, 'shared.yaml'), 'which answers 200 ${ready}.', 'which answers 200 ${ready} (see ${chart}).');
    const schema = JSON.parse(readFileSync(source(root, 'shared.schema.json'), 'utf8')) as { properties: { revisionHistoryLimit: { maximum: number } } };
    schema.properties.revisionHistoryLimit.maximum = 50;
    writeFileSync(source(root, 'shared.schema.json'), JSON.stringify(schema, null, 2));
    for (const { name } of appCharts) {
      expect(sharedStatus(name, root)).toEqual([`charts/${name}/values.yaml: shared values are stale`, `charts/${name}/values.schema.json: shared schema is stale`]);
      expect(writeShared(name, root)).toEqual([`charts/${name}/values.yaml`, `charts/${name}/values.schema.json`]);
      expect(sharedStatus(name, root)).toEqual([]);
      const values = readFileSync(join(root, name, 'values.yaml'), 'utf8');
      expect((parse(values) as { image: { pullPolicy: string } }).image.pullPolicy).toBe('Always');
      expect(values).toContain(`(see ${name}).`);
      const schema = JSON.parse(readFileSync(join(root, name, 'values.schema.json'), 'utf8')) as { properties: Record<string, { maximum?: number }> };
      expect(schema.properties.revisionHistoryLimit!.maximum).toBe(50);
    }
  });

  it("undoes a hand edit inside a shared part, and keeps the chart's own keys and schema", () => {
    const root = copyOfCharts();
    const values = join(root, 'light-sensor', 'values.yaml');
    const schemaPath = join(root, 'light-sensor', 'values.schema.json');
    edit(values, '  pullPolicy: IfNotPresent', '  pullPolicy: Never');
    edit(values, '  interval: 1s', '  interval: 2s');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { properties: Record<string, { properties: Record<string, unknown> }> };
    schema.properties.sensor!.properties.queueLen = { type: 'integer', minimum: 1, maximum: 9 };
    schema.properties.metrics!.properties.port = { type: 'integer' };
    writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);
    expect(sharedStatus('light-sensor', root)).toEqual(['charts/light-sensor/values.yaml: shared values are stale', 'charts/light-sensor/values.schema.json: shared schema is stale']);
    writeShared('light-sensor', root);
    const after = parse(readFileSync(values, 'utf8')) as { image: { pullPolicy: string }; sensor: { interval: string } };
    expect(after.image.pullPolicy).toBe('IfNotPresent');
    expect(after.sensor.interval).toBe('2s');
    const rewritten = JSON.parse(readFileSync(schemaPath, 'utf8')) as typeof schema;
    expect(rewritten.properties.sensor!.properties.queueLen).toEqual({ type: 'integer', minimum: 1, maximum: 9 });
    expect(rewritten.properties.metrics!.properties.port).toEqual({ type: 'integer', minimum: 1024, maximum: 65535, description: expect.any(String) });
  });

  it('refuses what it cannot apply, naming it', () => {
    const cases: [string, (root: string) => void, RegExp][] = [
      ['a missing marker', (r) => edit(join(r, 'light-sensor', 'values.yaml'), /^# <<< shared values "tail"$/m, ''), /shared values "tail" has no "# <<< shared values "tail"" line/],
      ['a chart without the markers', (r) => writeFileSync(join(r, 'light-sensor', 'values.yaml'), 'sensor: {}\n'), /lacks the shared part\(s\) head, tail: put the lines/],
      ['an unknown parameter', (r) => edit(source(r, 'shared.yaml'), 'Shows ${dashboard}.', 'Shows ${dashbord}.'), /\$\{dashbord\} is not a parameter/],
      ['an unused parameter', (r) => edit(source(r, 'shared.yaml'), 'Shows ${dashboard}.', 'Shows it.'), /light-sensor\.dashboard not used/],
      ['a shared key without schema', (r) => edit(source(r, 'shared.yaml'), /^logLevel: info$/m, 'logLevel: info\nlogFormat: json'), /shared\.schema\.json has no property for logFormat/],
      ["a chart's own key without schema", (r) => edit(join(r, 'light-sensor', 'values.yaml'), /^mock:$/m, 'extra: 1\nmock:'), /values\.schema\.json has no property for the chart's own key\(s\) extra: add them by hand/],
    ];
    for (const [what, breakIt, message] of cases) {
      const root = copyOfCharts();
      breakIt(root);
      expect(() => generate('light-sensor', root), what).toThrow(message);
      expect(sharedStatus('light-sensor', root)[0], what).toMatch(message);
    }
  });
});
