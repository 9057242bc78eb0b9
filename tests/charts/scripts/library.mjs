#!/usr/bin/env node
// The app charts depend on the library chart charts/gpio-fleet-common the way Helm users know:
// Chart.yaml lists it with `repository: file://../gpio-fleet-common`, Chart.lock pins it, and
// the packaged library sits in the app chart's charts/ folder, so
// `helm install light-sensor charts/light-sensor` works on a fresh clone without
// `helm dependency build`. This script writes that archive and Chart.lock as
// `helm dependency update` would, except that the archive is the same bytes every time
// (see tgz.mjs), and checks that both are current.
//
// npm run charts:generate (scripts/generate.mjs) runs it with the other generated parts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument, stringify } from 'yaml';
import { chartFiles } from './chart-files.mjs';
import { chartsDir, LIBRARY, libraryDir } from './charts.mjs';
import { readArchive, tarBytes, tgzBytes, untgz } from './tgz.mjs';

const REPOSITORY = `file://../${LIBRARY}`;

// Every scalar as the string it is written as, so versions like 1.10 stay "1.10".
const readYaml = (path) => parse(readFileSync(path, 'utf8'), { schema: 'failsafe' });

/** The library's version, from its Chart.yaml. */
export const libraryVersion = (root = chartsDir) => String(readYaml(join(libraryDir(root), 'Chart.yaml')).version);

/** The archive's file name, as helm names it: <name>-<version>.tgz. */
export const archiveName = (root = chartsDir) => `${LIBRARY}-${libraryVersion(root)}.tgz`;

/** What the archive holds: the library's files under "gpio-fleet-common/", as helm packages them. */
export const archiveEntries = (root = chartsDir) =>
  chartFiles(libraryDir(root)).map((f) => ({ name: `${LIBRARY}/${f.name}`, data: f.data }));

/** Go's encoding/json output for plain data (it escapes <, > and & inside strings). */
const goJson = (value) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// helm's chart.Dependency fields in struct order, as encoding/json writes them (omitempty ones
// only when set). The lock digest is sha256 over [Chart.yaml's dependencies, the locked ones].
const DEPENDENCY_FIELDS = [
  ['name', false],
  ['version', true],
  ['repository', false],
  ['condition', true],
  ['tags', true],
  ['enabled', true],
  ['import-values', true],
  ['alias', true],
];
const goDependency = (d) => {
  const out = {};
  for (const [key, omitEmpty] of DEPENDENCY_FIELDS) {
    const v = key === 'enabled' ? d[key] === 'true' : d[key];
    const empty = v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0);
    if (!(omitEmpty && empty)) out[key] = v ?? '';
  }
  return out;
};

/** The Chart.lock digest helm computes (internal/resolver HashReq). */
export function lockDigest(requested, locked) {
  const json = goJson([requested.map(goDependency), locked.map(goDependency)]);
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/** The app chart's dependency entries from its Chart.yaml. */
const dependenciesOf = (appDir) => readYaml(join(appDir, 'Chart.yaml')).dependencies ?? [];

/**
 * Chart.lock as `helm dependency update` writes it. `generated` is kept from the current lock
 * when it pins the same thing, so refreshing an unchanged chart leaves the file alone.
 */
export function expectedLock(app, root = chartsDir) {
  const appDir = join(root, app);
  const requested = dependenciesOf(appDir);
  const locked = requested.map((d) => {
    if (typeof d.repository !== 'string' || !d.repository.startsWith('file://')) {
      throw new Error(`charts/${app}/Chart.yaml: dependency ${d.name} has repository ${d.repository}; only file:// dependencies are supported`);
    }
    const version = readYaml(join(appDir, d.repository.slice('file://'.length), 'Chart.yaml')).version;
    return { name: d.name, repository: d.repository, version: String(version) };
  });
  const digest = lockDigest(requested, locked);
  const lockPath = join(appDir, 'Chart.lock');
  const current = existsSync(lockPath) ? readYaml(lockPath) : undefined;
  const same = current && current.digest === digest && goJson(current.dependencies ?? []) === goJson(locked);
  const generated = same && current.generated ? String(current.generated) : new Date().toISOString();
  const scalar = (v) => stringify(v).trimEnd();
  const lines = ['dependencies:'];
  for (const d of locked) {
    lines.push(`- name: ${scalar(d.name)}`, `  repository: ${scalar(d.repository)}`, `  version: ${scalar(d.version)}`);
  }
  lines.push(`digest: ${digest}`, `generated: ${JSON.stringify(generated)}`);
  return `${lines.join('\n')}\n`;
}

/** Files and folders in charts/<app>/charts/ other than the library archive. */
function strayDependencies(app, root) {
  const dir = join(root, app, 'charts');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f !== archiveName(root)) : [];
}

/** How the archive differs from the library sources, file by file. */
function archiveDiff(archive, want) {
  let have;
  try {
    have = readArchive(archive);
  } catch (e) {
    return [`is not a readable .tgz (${e instanceof Error ? e.message : e})`];
  }
  const problems = [];
  const haveNames = have.map((e) => e.name);
  for (const w of want) {
    const h = have.find((e) => e.name === w.name);
    if (!h) problems.push(`lacks ${w.name}`);
    else if (!h.data.equals(w.data)) problems.push(`${w.name} differs from the source`);
  }
  for (const name of haveNames) if (!want.some((w) => w.name === name)) problems.push(`has ${name}, which is not in the source`);
  if (problems.length === 0) problems.push('holds the right files, but was not written by this script (entry order, times or owners differ)');
  return problems;
}

/**
 * Everything stale about one app chart's library dependency; empty when current.
 * @param {string} app
 * @returns {string[]}
 */
export function libraryStatus(app, root = chartsDir) {
  const appDir = join(root, app);
  const problems = [];
  const deps = dependenciesOf(appDir);
  const dep = deps.find((d) => d.name === LIBRARY);
  if (!dep) return [`Chart.yaml does not list ${LIBRARY} under dependencies`];
  if (dep.repository !== REPOSITORY) problems.push(`Chart.yaml: ${LIBRARY} has repository ${dep.repository}, not ${REPOSITORY}`);
  const version = libraryVersion(root);
  if (String(dep.version) !== version) problems.push(`Chart.yaml asks for ${LIBRARY} ${dep.version}, the library is ${version}`);
  for (const f of strayDependencies(app, root)) problems.push(`charts/${f} should not be there (helm would load it as a dependency too)`);
  const archivePath = join(appDir, 'charts', archiveName(root));
  const want = archiveEntries(root);
  if (!existsSync(archivePath)) problems.push(`charts/${archiveName(root)} is missing`);
  else {
    const archive = readFileSync(archivePath);
    let same = false;
    try {
      same = untgz(archive).equals(tarBytes(want));
    } catch {
      // reported by archiveDiff
    }
    if (!same) problems.push(...archiveDiff(archive, want).map((p) => `charts/${archiveName(root)} ${p}`));
  }
  const lockPath = join(appDir, 'Chart.lock');
  if (!existsSync(lockPath)) problems.push('Chart.lock is missing');
  else if (readFileSync(lockPath, 'utf8') !== expectedLock(app, root)) problems.push('Chart.lock is stale (its digest or locked versions do not match Chart.yaml and the library)');
  return problems;
}

/**
 * Rewrite what is stale: the dependency's version in Chart.yaml, the archive, Chart.lock.
 * @returns {string[]} what was changed
 */
export function refreshLibrary(app, root = chartsDir) {
  const appDir = join(root, app);
  const changed = [];
  const chartYaml = join(appDir, 'Chart.yaml');
  const doc = parseDocument(readFileSync(chartYaml, 'utf8'));
  const deps = doc.get('dependencies');
  const index = (deps?.items ?? []).findIndex((d) => d.get('name') === LIBRARY);
  if (index < 0) throw new Error(`charts/${app}/Chart.yaml does not list ${LIBRARY} under dependencies; add it with repository ${REPOSITORY}`);
  const version = libraryVersion(root);
  if (String(doc.getIn(['dependencies', index, 'version'])) !== version || doc.getIn(['dependencies', index, 'repository']) !== REPOSITORY) {
    doc.setIn(['dependencies', index, 'version'], version);
    doc.setIn(['dependencies', index, 'repository'], REPOSITORY);
    // lineWidth 0: leave long lines (the description) as they are.
    writeFileSync(chartYaml, doc.toString({ lineWidth: 0 }));
    changed.push(`Chart.yaml: ${LIBRARY} ${version}`);
  }
  for (const f of strayDependencies(app, root)) {
    rmSync(join(appDir, 'charts', f), { recursive: true, force: true });
    changed.push(`removed charts/${f}`);
  }
  const archivePath = join(appDir, 'charts', archiveName(root));
  const entries = archiveEntries(root);
  let current = false;
  try {
    current = untgz(readFileSync(archivePath)).equals(tarBytes(entries));
  } catch {
    // missing or unreadable: rewrite
  }
  if (!current) {
    writeFileSync(archivePath, tgzBytes(entries));
    changed.push(`charts/${archiveName(root)}`);
  }
  const lockPath = join(appDir, 'Chart.lock');
  const lock = expectedLock(app, root);
  if (!existsSync(lockPath) || readFileSync(lockPath, 'utf8') !== lock) {
    writeFileSync(lockPath, lock);
    changed.push('Chart.lock');
  }
  return changed;
}
