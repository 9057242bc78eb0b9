// The files helm takes from a chart directory, in the order `helm package` writes them, so the
// library archive can be written without helm and still hold what helm would put in it.
// helm's rules (pkg/chart/loader, pkg/ignore in helm v3): walk the directory with the entries of
// each folder sorted; skip what .helmignore matches, plus its built-in rule `templates/.?*`;
// then write Chart.yaml, values.yaml, values.schema.json, the templates, and the other files.
// `library.test.ts` compares the result with a real `helm package`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One glob of Go's filepath.Match (what .helmignore lines are) as a RegExp: `*` and `?` stop
 * at "/", `[...]` classes may be negated with `^`, `\` escapes the next character.
 * @param {string} glob
 */
export function globRegExp(glob) {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escape(glob[++i]);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new Error(`.helmignore pattern ${JSON.stringify(glob)}: "[" without "]"`);
      let body = glob.slice(i + 1, end);
      if (body.includes('\\')) throw new Error(`.helmignore pattern ${JSON.stringify(glob)}: "\\" inside [...] is not supported here`);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      // Unlike * and ?, a class may match "/" in Go.
      out += `[${negate ? '^' : ''}${body.replace(/[\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

const escape = (c) => c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);

/**
 * .helmignore rules as a predicate on (path relative to the chart, is it a directory).
 * @param {string} text the .helmignore file ("" when the chart has none)
 * @returns {(path: string, isDir: boolean) => boolean} true when helm skips the path
 */
export function helmIgnore(text) {
  const rules = [];
  for (const raw of [...text.split('\n'), 'templates/.?*']) {
    let rule = raw.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    if (rule.includes('**')) throw new Error(`.helmignore: helm does not support "**" (${rule})`);
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    // A rule with a "/" matches the whole path, one without matches the last path element.
    const wholePath = rule.includes('/');
    const re = globRegExp(rule.replace(/^\//, ''));
    rules.push({ negate, mustDir, match: (path) => re.test(wholePath ? path : path.slice(path.lastIndexOf('/') + 1)) });
  }
  return (path, isDir) => {
    for (const r of rules) {
      // helm's "!pattern" means: skip everything the pattern does not match.
      if (r.negate) {
        if ((r.mustDir && !isDir) || !r.match(path)) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (r.match(path)) return true;
    }
    return false;
  };
}

/** Files helm loads from the chart, relative paths in walk order (entries of a folder sorted). */
function loadedFiles(chartDir) {
  let ignoreText = '';
  try {
    ignoreText = readFileSync(join(chartDir, '.helmignore'), 'utf8');
  } catch {
    // no .helmignore: only the built-in rule applies
  }
  const ignored = helmIgnore(ignoreText);
  const out = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(chartDir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const isDir = statSync(join(chartDir, path)).isDirectory();
      if (ignored(path, isDir)) continue;
      if (isDir) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out;
}

const FIRST = ['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json'];

/**
 * The files of a chart without dependencies (a library chart), as `helm package` orders them.
 * @param {string} chartDir
 * @returns {{ name: string, data: Buffer }[]} names relative to the chart directory
 */
export function chartFiles(chartDir) {
  const files = loadedFiles(chartDir);
  if (files.some((f) => f.startsWith('charts/'))) {
    throw new Error(`${chartDir} has a charts/ folder: only charts without dependencies are supported here`);
  }
  const ordered = [
    ...FIRST.filter((f) => files.includes(f)),
    ...files.filter((f) => f.startsWith('templates/')),
    ...files.filter((f) => !FIRST.includes(f) && !f.startsWith('templates/')),
  ];
  return ordered.map((name) => ({ name, data: readFileSync(join(chartDir, name)) }));
}
