// The library chart reaches the app charts as a Helm dependency: Chart.yaml lists it with
// repository file://../gpio-fleet-common, Chart.lock pins it and charts/<app>/charts/ holds it
// packaged, so `helm install <app> charts/<app>` needs no `helm dependency build`. The archive
// and Chart.lock must be current, agree with what helm itself writes, and be reproducible; and
// nothing under charts/ may be git-ignored (or a clone would lack it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { chartFiles, helmIgnore } from '../scripts/chart-files.mjs';
import { GENERATE_COMMAND } from '../scripts/charts.mjs';
import { archiveEntries, archiveName, libraryStatus, refreshLibrary } from '../scripts/library.mjs';
import { readArchive, tgzBytes } from '../scripts/tgz.mjs';
import { helm } from './support/helm.js';
import { scratchCharts } from './support/scratch-charts.js';
import { appCharts, chartPath, chartsDir, libraryChart, repoRoot } from './support/paths.js';

/** Scratch copies of charts/, to break and repair. */
const { dir: work, copyOfCharts } = scratchCharts('library');

/** The STATUS column of `helm dependency list` for the library. */
function dependencyStatus(appDir: string): string {
  const res = helm(['dependency', 'list', appDir]);
  expect(res.status, res.stderr).toBe(0);
  const line = res.stdout.split('\n').find((l) => l.split(/\s+/)[0] === libraryChart);
  return line?.trim().split(/\s+/).at(-1) ?? `no ${libraryChart} line in:\n${res.stdout}`;
}

const yamlOf = (data: Buffer): unknown => parse(data.toString('utf8'));

describe('the library as a packaged dependency', () => {
  it.each(appCharts.map((c) => c.name))('charts/%s: the packaged library and Chart.lock are current', (app) => {
    expect(libraryStatus(app), `run: ${GENERATE_COMMAND}`).toEqual([]);
  });

  it.each(appCharts.map((c) => c.name))('charts/%s: helm dependency list says ok, and helm dependency build accepts Chart.lock', (app) => {
    expect(dependencyStatus(chartPath(app))).toBe('ok');
    // dependency build refuses a Chart.lock whose digest does not match Chart.yaml.
    const root = copyOfCharts();
    const res = helm(['dependency', 'build', join(root, app)]);
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('Chart.lock and the archive hold what `helm dependency update` writes (times and Chart.yaml layout aside)', () => {
    const root = copyOfCharts();
    const app = join(root, 'light-sensor');
    rmSync(join(app, 'Chart.lock'));
    rmSync(join(app, 'charts'), { recursive: true });
    const res = helm(['dependency', 'update', app]);
    expect(res.status, res.stderr + res.stdout).toBe(0);
    const theirs = parse(readFileSync(join(app, 'Chart.lock'), 'utf8')) as Record<string, unknown>;
    const ours = parse(readFileSync(join(chartPath('light-sensor'), 'Chart.lock'), 'utf8')) as Record<string, unknown>;
    expect({ ...ours, generated: undefined }).toEqual({ ...theirs, generated: undefined });
    expect(readdirSync(join(app, 'charts'))).toEqual([archiveName()]);
    const helmEntries = readArchive(readFileSync(join(app, 'charts', archiveName())));
    const ourEntries = readArchive(readFileSync(join(chartPath('light-sensor'), 'charts', archiveName())));
    expect(ourEntries.map((e) => e.name)).toEqual(helmEntries.map((e) => e.name));
    for (const [i, e] of ourEntries.entries()) {
      const h = helmEntries[i]!;
      // helm writes Chart.yaml from its parsed form (no comments, its own key order).
      if (e.name.endsWith('/Chart.yaml')) expect(yamlOf(e.data)).toEqual(yamlOf(h.data));
      else expect(e.data.equals(h.data), `${e.name} differs from helm's`).toBe(true);
    }
  });

  it('is reproducible: the same bytes every time, and a refresh of current charts writes nothing', () => {
    expect(tgzBytes(archiveEntries()).equals(tgzBytes(archiveEntries()))).toBe(true);
    const root = copyOfCharts();
    for (const app of appCharts) expect(refreshLibrary(app.name, root)).toEqual([]);
    const archive = join(root, 'light-sensor', 'charts', archiveName());
    const lock = readFileSync(join(root, 'light-sensor', 'Chart.lock'), 'utf8');
    rmSync(archive);
    expect(refreshLibrary('light-sensor', root)).toEqual([`charts/${archiveName()}`]);
    expect(readFileSync(archive).equals(tgzBytes(archiveEntries()))).toBe(true);
    expect(readFileSync(join(root, 'light-sensor', 'Chart.lock'), 'utf8')).toBe(lock);
  });

  it('notices an edited, added or removed library file, and a refresh repairs it', () => {
    const root = copyOfCharts();
    const lib = join(root, libraryChart);
    writeFileSync(join(lib, 'templates', '_names.tpl'), '{{/* changed */}}');
    writeFileSync(join(lib, 'templates', '_extra.tpl'), '');
    rmSync(join(lib, 'README.md'));
    const archive = `charts/${archiveName(root)}`;
    expect(libraryStatus('light-sensor', root).sort()).toEqual(
      [
        `${archive} has ${libraryChart}/README.md, which is not in the source`,
        `${archive} lacks ${libraryChart}/templates/_extra.tpl`,
        `${archive} ${libraryChart}/templates/_names.tpl differs from the source`,
      ].sort(),
    );
    expect(refreshLibrary('light-sensor', root)).toEqual([archive]);
    expect(libraryStatus('light-sensor', root)).toEqual([]);
    expect(readArchive(readFileSync(join(root, 'light-sensor', archive))).map((e) => e.name)).toContain(`${libraryChart}/templates/_extra.tpl`);
  });

  it('notices a new library version, and a refresh updates Chart.yaml, the archive and Chart.lock', () => {
    const root = copyOfCharts();
    const libChart = join(root, libraryChart, 'Chart.yaml');
    writeFileSync(libChart, readFileSync(libChart, 'utf8').replace(/^version: .*$/m, 'version: 0.2.0'));
    expect(libraryStatus('light-sensor', root)).toEqual([
      `Chart.yaml asks for ${libraryChart} 0.1.0, the library is 0.2.0`,
      `charts/${libraryChart}-0.1.0.tgz should not be there (helm would load it as a dependency too)`,
      `charts/${libraryChart}-0.2.0.tgz is missing`,
      'Chart.lock is stale (its digest or locked versions do not match Chart.yaml and the library)',
    ]);
    expect(refreshLibrary('light-sensor', root)).toEqual([
      `Chart.yaml: ${libraryChart} 0.2.0`,
      `removed charts/${libraryChart}-0.1.0.tgz`,
      `charts/${libraryChart}-0.2.0.tgz`,
      'Chart.lock',
    ]);
    expect(libraryStatus('light-sensor', root)).toEqual([]);
    const app = join(root, 'light-sensor');
    // Only the version line of Chart.yaml changes: comments and long lines stay as they were.
    const before = readFileSync(join(chartPath('light-sensor'), 'Chart.yaml'), 'utf8');
    expect(readFileSync(join(app, 'Chart.yaml'), 'utf8')).toBe(before.replace(/^( {4}version:) 0\.1\.0$/m, '$1 0.2.0'));
    expect(dependencyStatus(app)).toBe('ok');
    const build = helm(['dependency', 'build', app]);
    expect(build.status, build.stderr + build.stdout).toBe(0);
  });

  it('notices a Chart.lock digest helm would refuse, and an archive helm wrote itself', () => {
    const root = copyOfCharts();
    const app = join(root, 'light-sensor');
    const lockPath = join(app, 'Chart.lock');
    writeFileSync(lockPath, readFileSync(lockPath, 'utf8').replace(/digest: sha256:[0-9a-f]{8}/, 'digest: sha256:00000000'));
    expect(libraryStatus('light-sensor', root)).toEqual(['Chart.lock is stale (its digest or locked versions do not match Chart.yaml and the library)']);
    const build = helm(['dependency', 'build', app]);
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain('out of sync');
    refreshLibrary('light-sensor', root);
    // `helm dependency update` rewrites the archive with the time of day and its own Chart.yaml.
    expect(helm(['dependency', 'update', app]).status).toBe(0);
    expect(libraryStatus('light-sensor', root)).toEqual([`charts/${archiveName(root)} ${libraryChart}/Chart.yaml differs from the source`]);
  });

  it('nothing under charts/ is ignored by git, so a fresh clone has every chart file', () => {
    const res = spawnSync('git', ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory', 'charts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe('');
  });
});

describe('chart files as helm packages them', () => {
  it('applies .helmignore as helm does', () => {
    const ignored = helmIgnore('# note\n*.swp\nvalues/\n/top.txt\ndocs/*.md\n');
    expect(ignored('templates/_a.tpl.swp', false)).toBe(true); // no "/": the last element anywhere
    expect(ignored('values', true)).toBe(true);
    expect(ignored('values', false)).toBe(false); // "values/" only matches a folder
    expect(ignored('top.txt', false)).toBe(true);
    expect(ignored('sub/top.txt', false)).toBe(false);
    expect(ignored('docs/a.md', false)).toBe(true);
    expect(ignored('docs/sub/a.md', false)).toBe(false); // "*" stops at "/"
    expect(ignored('templates/.hidden', false)).toBe(true); // helm's own rule
    expect(ignored('README.md', false)).toBe(false);
    // helm's "!x": skip everything that is not x.
    expect(helmIgnore('!keep.txt')('other.txt', false)).toBe(true);
    expect(helmIgnore('!keep.txt')('keep.txt', false)).toBe(false);
    expect(() => helmIgnore('**/x')).toThrow(/not support/);
  });

  it('lists what `helm package` puts in the archive, in its order, for a library with files helm skips', () => {
    const lib = join(work, 'lib', libraryChart);
    cpSync(join(chartsDir, libraryChart), lib, { recursive: true });
    for (const f of ['values/extra.yaml', 'templates/.hidden.tpl', 'templates/_b.tpl.swp', 'templates/sub/_z.tpl', 'docs/notes.txt', 'docs.txt', 'a.bak', 'values.yaml']) {
      mkdirSync(join(lib, f, '..'), { recursive: true });
      writeFileSync(join(lib, f), `# ${f}\n`);
    }
    const out = join(work, 'lib-out');
    const res = helm(['package', lib, '--destination', out]);
    expect(res.status, res.stderr).toBe(0);
    const packaged = readArchive(readFileSync(join(out, archiveName()))).map((e) => e.name);
    expect(chartFiles(lib).map((f) => `${libraryChart}/${f.name}`)).toEqual(packaged);
    expect(packaged).toContain(`${libraryChart}/templates/sub/_z.tpl`);
    expect(packaged).not.toContain(`${libraryChart}/values/extra.yaml`);
  });
});
