// Keeps the repository self-contained: comments and docs may cite only files inside it.
// findOutsideCitations(root) reports every line that
//   - mentions the upper-case name of the fact sheet gathered before the project (a "§n" or
//     ".md" citation), which lives outside the repository; the facts belong in docs/ instead;
//   - holds a relative path that climbs out of the repository (resolved against the file's own
//     directory), or an absolute path into the build machine's work area (see MACHINE_PATH);
//   - cites docs/<file>.md (optionally #heading) when no such file, or no such heading, exists.
// A docs citation is resolved against the citing file's directory and each directory above
// it up to the root: a package's README may cite the package's own docs/<name>.md, and a
// source file deep in a package may cite the root's docs/<name>.md#<heading>.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

// Names built from parts, so this file does not report itself.
const SHEET = ['REFER', 'ENCE'].join('');
/** The sheet's name in capitals as a word (not a CONSTANT_NAME), or its file name in any case. */
const SHEET_UPPER = new RegExp(`\\b${SHEET}\\b(?!_)`);
const SHEET_FILE = new RegExp(`\\b${SHEET}\\.md\\b`, 'i');
const WORK_AREA = ['', 'work'].join('/');

/** A relative path that starts with ../, at the start of a token. */
const CLIMBING_PATH = /(?<=^|[\s'"`(<[=:,])((?:\.\/)?(?:\.\.\/)+[^\s'"`)<>\],;]*)/g;
/** An absolute path into the work area of the build machine. */
const MACHINE_PATH = new RegExp(`(?<![\\w.~-])${WORK_AREA}(?:/|\\b)`);
/** docs/<file>.md with an optional #heading, not part of a URL. */
const DOCS_CITATION = /(?<![\w@./:-])((?:[\w@.-]+\/)*docs\/[\w.-]+\.md)(?:#([\p{L}\p{N}_-]+))?/gu;

/** Directories never scanned: dependencies, build output, VCS data, recorded bench runs. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage', 'build']);
const SKIP_PATHS = new Set(['bench/results', 'package-lock.json']);
const MAX_BYTES = 2 * 1024 * 1024;

interface TextFile {
  path: string;
  rel: string;
  text: string;
}

function* textFiles(root: string, dir = root): Generator<TextFile> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(root, path).split(sep).join('/');
    if (SKIP_PATHS.has(rel)) continue;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* textFiles(root, path);
    } else if (entry.isFile() && statSync(path).size <= MAX_BYTES) {
      const bytes = readFileSync(path);
      if (!bytes.includes(0)) yield { path, rel, text: bytes.toString('utf8') };
    }
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1/-2 for repeats. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Where a docs citation points: the nearest existing candidate, or undefined. */
function resolveDocsCitation(root: string, fileDir: string, cited: string): string | undefined {
  if (cited.startsWith('./') || cited.startsWith('../')) {
    const target = resolve(fileDir, cited);
    return inside(root, target) && existsSync(target) ? target : undefined;
  }
  for (let dir = fileDir; inside(root, dir); dir = dirname(dir)) {
    const target = join(dir, cited);
    if (existsSync(target)) return target;
    if (dir === root) break;
  }
  return undefined;
}

/** Files whose every line is prose (all of it may cite); in other files only comments cite. */
const PROSE = /\.(md|txt)$|(^|\/)(README|NOTES\.txt)$/;
const HASH_COMMENTS = /\.(py|sh|ya?ml|toml|lua)$|(^|\/)(run|Makefile|\.helmignore|\.gitignore)$/;

/**
 * The part of a line that can cite: all of it in prose, the comment in code. In code, a path
 * in a string or an import is data or code, which the compiler and tests check, not a citation.
 */
function citingPart(rel: string): (line: string) => string {
  if (PROSE.test(rel)) return (line) => line;
  if (HASH_COMMENTS.test(rel)) return (line) => /(?:^|\s)#(?!!)(.*)$/.exec(line)?.[1] ?? '';
  return (line) => {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return line;
    return /(?<![:'"`\w])\/\/(.*)$/.exec(line)?.[1] ?? /\{\{-?\s*\/\*(.*)$/.exec(line)?.[1] ?? '';
  };
}

/** Every citation of something outside `root`, or of a docs file or heading that does not exist. */
export interface Finding {
  file: string;
  line: number;
  text: string;
  reason: string;
}

export function findOutsideCitations(repository: string): Finding[] {
  const root = resolve(repository);
  const findings: Finding[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    let anchors = anchorCache.get(file);
    if (!anchors) anchorCache.set(file, (anchors = headingAnchors(readFileSync(file, 'utf8'))));
    return anchors;
  };
  for (const { path, rel, text } of textFiles(root)) {
    const fileDir = dirname(path);
    const citingText = citingPart(rel);
    text.split('\n').forEach((whole, i) => {
      const line = citingText(whole);
      const report = (reason: string) => findings.push({ file: rel, line: i + 1, text: whole.trim().slice(0, 240), reason });
      if (SHEET_UPPER.test(whole) || SHEET_FILE.test(whole)) {
        report('cites a fact sheet outside the repository; cite docs/<file>.md instead');
      }
      for (const m of line.matchAll(CLIMBING_PATH)) {
        if (!inside(root, resolve(fileDir, m[1]!))) report(`path ${m[1]} leads out of the repository`);
      }
      if (MACHINE_PATH.test(whole)) report(`absolute path into the build machine's ${WORK_AREA} area`);
      for (const m of line.matchAll(DOCS_CITATION)) {
        const cited = m[1]!;
        const anchor = m[2];
        const target = resolveDocsCitation(root, fileDir, cited);
        if (!target) report(`cites ${cited}, which does not exist`);
        else if (anchor !== undefined && !anchorsOf(target).has(anchor)) {
          report(`cites ${cited}#${anchor}, but ${relative(root, target).split(sep).join('/')} has no such heading`);
        }
      }
    });
  }
  return findings;
}
