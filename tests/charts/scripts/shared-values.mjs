#!/usr/bin/env node
// The values and schema every app chart shares come from one source,
// charts/gpio-fleet-common/values/ (shared.yaml, shared.schema.json and the per-chart
// parameters in charts.yaml), and are written into each app chart's plain values.yaml and
// values.schema.json, which stay complete files that Helm users read:
// - values.yaml: each part of shared.yaml replaces the lines between the chart's
//   `# >>> shared values "<part>"` and `# <<< shared values "<part>"` markers; the lines outside
//   (the app's own keys) are the chart's own.
// - values.schema.json: rewritten whole; the properties of the app's own keys (the keys of
//   values.yaml outside the shared parts), and the definitions only they use, are kept.
//
// npm run charts:generate (scripts/generate.mjs) runs it with the other generated parts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartsDir, GENERATE_COMMAND, LIBRARY, libraryDir } from './charts.mjs';

export const sourceDir = (root = chartsDir) => join(libraryDir(root), 'values');
const SOURCE = `charts/${LIBRARY}/values`;
const PART = /^# @part (\S+)\s*$/;
const START = /^# >>> shared values "([^"]+)"/;
const END = /^# <<< shared values "([^"]+)"/;
const startMarker = (part) => `# >>> shared values "${part}": generated from ${SOURCE}/shared.yaml by ${GENERATE_COMMAND}; edit it there`;
const endMarker = (part) => `# <<< shared values "${part}"`;

/**
 * The shared source: the parts of shared.yaml, the schema fragment, the parameters per chart.
 * @returns {{ parts: Map<string, string>, schema: Record<string, any>, params: Record<string, Record<string, unknown>> }}
 */
export function readSource(root = chartsDir) {
  const dir = sourceDir(root);
  const parts = new Map();
  let current;
  let lines = [];
  const flush = () => {
    if (current) parts.set(current, lines.join('\n').replace(/^\n+|\n+$/g, ''));
  };
  for (const line of readFileSync(join(dir, 'shared.yaml'), 'utf8').split('\n')) {
    const m = PART.exec(line);
    if (m) {
      flush();
      if (parts.has(m[1])) throw new Error(`${SOURCE}/shared.yaml: part "${m[1]}" appears twice`);
      current = m[1];
      lines = [];
    } else if (current) lines.push(line);
  }
  flush();
  if (parts.size === 0) throw new Error(`${SOURCE}/shared.yaml has no "# @part <name>" line`);
  return {
    parts,
    schema: JSON.parse(readFileSync(join(dir, 'shared.schema.json'), 'utf8')),
    params: parse(readFileSync(join(dir, 'charts.yaml'), 'utf8')) ?? {},
  };
}

/** Replaces ${name} in text; records the names used; an unknown name is an error naming it. */
function fill(text, params, used, where) {
  return text.replace(/\$\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name) => {
    if (!(name in params)) throw new Error(`${where}: \${${name}} is not a parameter (add it to ${SOURCE}/charts.yaml, or fix the name)`);
    used.add(name);
    return String(params[name]);
  });
}

/** The same for every string inside a JSON value. */
function fillJson(value, params, used, where) {
  if (typeof value === 'string') return fill(value, params, used, where);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, params, used, where));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, params, used, where)]));
  }
  return value;
}

/** The chart's values.yaml with every shared part regenerated. */
function valuesText(app, current, parts, params, used) {
  const out = [];
  const seen = new Set();
  let open;
  for (const line of current.split('\n')) {
    const start = START.exec(line);
    const end = END.exec(line);
    if (open) {
      if (start) throw new Error(`charts/${app}/values.yaml: shared values "${start[1]}" starts inside "${open}"`);
      if (end) {
        if (end[1] !== open) throw new Error(`charts/${app}/values.yaml: shared values "${open}" ends with the marker of "${end[1]}"`);
        out.push(fill(parts.get(open), params, used, `${SOURCE}/shared.yaml (part ${open})`), endMarker(open));
        open = undefined;
      }
      continue;
    }
    if (end) throw new Error(`charts/${app}/values.yaml: "${line}" without its ">>>" line`);
    if (start) {
      const part = start[1];
      if (!parts.has(part)) throw new Error(`charts/${app}/values.yaml: there is no shared part "${part}" (parts: ${[...parts.keys()].join(', ')})`);
      if (seen.has(part)) throw new Error(`charts/${app}/values.yaml: shared values "${part}" appear twice`);
      seen.add(part);
      open = part;
      out.push(startMarker(part));
      continue;
    }
    out.push(line);
  }
  if (open) throw new Error(`charts/${app}/values.yaml: shared values "${open}" has no "${endMarker(open)}" line`);
  const missing = [...parts.keys()].filter((p) => !seen.has(p));
  if (missing.length > 0) {
    throw new Error(`charts/${app}/values.yaml lacks the shared part(s) ${missing.join(', ')}: put the lines '${startMarker(missing[0])}' and '${endMarker(missing[0])}' where it belongs`);
  }
  return out.join('\n');
}

/** Names of the definitions a schema node refers to ("#/definitions/<name>"). */
function definitionRefs(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => definitionRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) out.add(v.slice('#/definitions/'.length));
      else definitionRefs(v, out);
    }
  }
  return out;
}

/** Top-level keys of the shared parts alone. */
function sharedKeys(parts) {
  return Object.keys(parse([...parts.values()].join('\n\n')) ?? {});
}

/**
 * The generated values.yaml and values.schema.json of one app chart.
 * @param {string} app
 * @returns {{ values: string, schema: string, appKeys: string[] }}
 */
export function generate(app, root = chartsDir, source = readSource(root)) {
  const dir = join(root, app);
  const chartParams = source.params[app];
  if (!chartParams || typeof chartParams !== 'object') throw new Error(`${SOURCE}/charts.yaml has no entry for ${app}`);
  const params = { ...chartParams, chart: app };
  const used = new Set();
  const values = valuesText(app, readFileSync(join(dir, 'values.yaml'), 'utf8'), source.parts, params, used);
  const shared = fillJson(source.schema, params, used, `${SOURCE}/shared.schema.json`);
  const unused = Object.keys(chartParams).filter((p) => !used.has(p));
  if (unused.length > 0) throw new Error(`${SOURCE}/charts.yaml: ${app}.${unused.join(`, ${app}.`)} not used by shared.yaml or shared.schema.json`);

  // Every shared key has a shared schema property and the other way round (Helm adds the
  // library's own key, which values.yaml never sets).
  const keys = sharedKeys(source.parts);
  const sharedProps = Object.keys(shared.properties);
  const unschemed = keys.filter((k) => !sharedProps.includes(k));
  const unvalued = sharedProps.filter((k) => !keys.includes(k) && k !== LIBRARY);
  if (unschemed.length > 0) throw new Error(`${SOURCE}/shared.schema.json has no property for ${unschemed.join(', ')}`);
  if (unvalued.length > 0) throw new Error(`${SOURCE}/shared.yaml has no value for ${unvalued.join(', ')}, which shared.schema.json describes`);

  const valueKeys = Object.keys(parse(values) ?? {});
  const appKeys = valueKeys.filter((k) => !keys.includes(k));
  const schemaPath = join(dir, 'values.schema.json');
  const current = existsSync(schemaPath) ? JSON.parse(readFileSync(schemaPath, 'utf8')) : {};
  const currentProps = current.properties ?? {};
  const lacking = appKeys.filter((k) => !(k in currentProps));
  if (lacking.length > 0) throw new Error(`charts/${app}/values.schema.json has no property for the chart's own key(s) ${lacking.join(', ')}: add them by hand`);
  const properties = {};
  for (const k of sharedProps.filter((p) => !valueKeys.includes(p))) properties[k] = shared.properties[k];
  for (const k of valueKeys) properties[k] = keys.includes(k) ? shared.properties[k] : currentProps[k];
  const required = new Set([...(shared.required ?? []), ...(current.required ?? []).filter((k) => appKeys.includes(k))]);
  // The chart's own definitions: those its own properties use that the shared schema lacks
  // (a definition nothing uses any more disappears).
  const definitions = { ...shared.definitions };
  const pending = appKeys.map((k) => currentProps[k]);
  while (pending.length > 0) {
    for (const name of definitionRefs(pending.pop())) {
      if (name in definitions || !(name in (current.definitions ?? {}))) continue;
      definitions[name] = current.definitions[name];
      pending.push(definitions[name]);
    }
  }
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: `Generated by ${GENERATE_COMMAND} from ${SOURCE}/shared.schema.json, except the properties of this chart's own keys (${appKeys.join(', ')}), which are edited here.`,
    title: shared.title,
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => required.has(k)),
    properties,
    definitions,
  };
  return { values, schema: `${JSON.stringify(schema, null, 2)}\n`, appKeys };
}

/**
 * What is stale in one app chart's shared parts; empty when current.
 * @returns {string[]}
 */
export function sharedStatus(app, root = chartsDir) {
  let g;
  try {
    g = generate(app, root);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
  const problems = [];
  if (g.values !== readFileSync(join(root, app, 'values.yaml'), 'utf8')) problems.push(`charts/${app}/values.yaml: shared values are stale`);
  const schemaPath = join(root, app, 'values.schema.json');
  if (!existsSync(schemaPath) || g.schema !== readFileSync(schemaPath, 'utf8')) problems.push(`charts/${app}/values.schema.json: shared schema is stale`);
  return problems;
}

/** Rewrites the generated parts; returns the files changed. Throws on errors in the source. */
export function writeShared(app, root = chartsDir) {
  const g = generate(app, root);
  const changed = [];
  for (const [file, text] of [
    ['values.yaml', g.values],
    ['values.schema.json', g.schema],
  ]) {
    const path = join(root, app, file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      writeFileSync(path, text);
      changed.push(`charts/${app}/${file}`);
    }
  }
  return changed;
}
