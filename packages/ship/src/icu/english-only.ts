// Which of a full ICU's data an English-only runtime keeps: what Node's own small-icu build
// keeps, English and the root locale, without building Node again. Every locale tree with an
// index (res_index.res: the top-level tree, coll, curr, lang, rbnf, region, unit, zone) keeps
// root and every en* locale and loses the others; its index is written again to list only
// what is left, so Intl resolves any other locale to en-US, as on small-icu, instead of
// claiming a locale whose data is gone. Everything that is not locale data stays: Unicode
// properties, case mapping and normalization, the root collation, time zones, converters,
// the break iterators and their dictionaries. The brkitr tree stays whole: ICU's CJK word
// breaker reads brkitr/ja.res whatever the locale, and all its locale files come to 14 kB
// (docs/shipping.md#icu-data-in-node).
import type { CommonDataItem } from './common-data.js';
import type { Resource } from './resource-bundle.js';

/** A locale bundle's file name: a 2-3 letter language, optional _SUBTAGS, ".res". */
const LOCALE_BUNDLE = /^([a-z]{2,3})(?:_[A-Za-z0-9_]*)?\.res$/;
const INDEX = 'res_index.res';
const KEPT_LANGUAGES = new Set(['en']);
const WHOLE_TREES = new Set(['brkitr']);

const treeOf = (name: string): string => name.slice(0, Math.max(0, name.lastIndexOf('/')));
const leafOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

export interface EnglishOnlyPlan {
  /** Items to take out of the package. */
  remove: string[];
  /** The locale trees to index again ("" is the top-level one), with the locales each keeps (root excluded). */
  trees: Map<string, string[]>;
}

/** What an English-only package removes and which indexes it rewrites, from the full package's items. */
export function planEnglishOnly(items: readonly CommonDataItem[]): EnglishOnlyPlan {
  const indexed = new Set(items.filter((i) => leafOf(i.name) === INDEX).map((i) => treeOf(i.name)));
  const remove: string[] = [];
  const trees = new Map<string, string[]>([...indexed].filter((t) => !WHOLE_TREES.has(t)).sort().map((t) => [t, []]));
  for (const item of items) {
    const tree = treeOf(item.name);
    const leaf = leafOf(item.name);
    const kept = trees.get(tree);
    const m = LOCALE_BUNDLE.exec(leaf);
    if (!kept || !m || leaf === INDEX) continue;
    if (KEPT_LANGUAGES.has(m[1]!)) kept.push(leaf.slice(0, -'.res'.length));
    else remove.push(item.name);
  }
  for (const locales of trees.values()) locales.sort();
  return { remove: remove.sort(), trees };
}

const isTable = (r: Resource | undefined): r is { [key: string]: Resource } => typeof r === 'object';

/**
 * The source text (genrb's format) of a tree's new index: the old index's own entries, with
 * its InstalledLocales and AliasLocales cut down to the locales the tree keeps (a locale the
 * old index did not list stays unlisted).
 */
export function indexSource(old: Resource, kept: readonly string[]): string {
  if (!isTable(old) || !isTable(old.InstalledLocales)) throw new Error('a res_index without an InstalledLocales table');
  const keep = new Set(kept);
  const lines = ['// Written by the gpio-fleet image build: an English-only copy of ICU\'s index.', 'res_index:table(nofallback) {'];
  for (const [key, value] of Object.entries(old)) {
    if (typeof value === 'string') {
      lines.push(`    ${key} { "${value.replace(/[\\"]/g, (c) => `\\${c}`)}" }`);
    } else if (key === 'InstalledLocales' || key === 'AliasLocales') {
      lines.push(`    ${key}:table {`);
      for (const locale of Object.keys(value).filter((l) => keep.has(l)).sort()) lines.push(`        ${locale} { "" }`);
      lines.push('    }');
    } else {
      throw new Error(`res_index entry ${key} is a table this build does not know how to cut down`);
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}
