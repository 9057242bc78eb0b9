// The English-only ICU data of the images' node (src/icu/): a small ICU package made here with
// ICU's own tools (genrb, icupkg from Debian's icu-devtools) stands in for node's 30 MB one,
// embedded among other bytes as node carries it. Found, read, planned, indexed again and
// written back; and the probe that judges a trimmed runtime. The pinned runtimes themselves
// are trimmed and run in images-built.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommonData, replaceCommonData, type CommonData } from '../src/icu/common-data.js';
import { indexSource, planEnglishOnly } from '../src/icu/english-only.js';
import { readResourceBundle } from '../src/icu/resource-bundle.js';
import { englishOnlyProblems, type IcuProbe } from '../src/icu/trim.js';

const scratch = mkdtempSync(join(tmpdir(), 'icu-data-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** genrb source per item of the test package, "tree/name" → text. */
const SOURCES: Record<string, string> = {
  'root.txt': 'root { Version { "1" } }',
  'en.txt': 'en { hello { "Hello" } }',
  'en_GB.txt': 'en_GB { hello { "Hello, mate" } }',
  'de.txt': 'de { hello { "Hallo" } }',
  'fr.txt': 'fr { hello { "Bonjour" } }',
  // icupkg checks that a child locale's parent is there: fr_CA needs fr.
  'fr_CA.txt': 'fr_CA { hello { "Allô" } }',
  'supplementalData.txt': 'supplementalData:table(nofallback) { cldrVersion { "48" } }',
  'res_index.txt':
    'res_index:table(nofallback) { CLDRVersion { "48" } InstalledLocales:table { de { "" } en { "" } en_GB { "" } fr { "" } fr_CA { "" } } AliasLocales:table { en_UK { "" } iw { "" } } }',
  'coll/root.txt': 'root { Version { "1" } }',
  'coll/de.txt': 'de { Version { "1" } }',
  'coll/res_index.txt': 'res_index:table(nofallback) { InstalledLocales:table { de { "" } } }',
  'brkitr/root.txt': 'root { Version { "1" } }',
  'brkitr/ja.txt': 'ja { Version { "1" } }',
  'brkitr/res_index.txt': 'res_index:table(nofallback) { InstalledLocales:table { ja { "" } } }',
};
const PREFIX = 'icudt99l';

/** Compile `sources` with genrb and package them with icupkg: the package's bytes. */
function makePackage(sources: Record<string, string>, name: string): Buffer {
  const dir = join(scratch, name);
  const items: string[] = [];
  for (const [path, text] of Object.entries(sources)) {
    const tree = dirname(path) === '.' ? '' : dirname(path);
    const src = join(dir, 'src', tree);
    const out = join(dir, 'out', tree);
    mkdirSync(src, { recursive: true });
    mkdirSync(out, { recursive: true });
    const file = path.slice(tree ? tree.length + 1 : 0);
    writeFileSync(join(src, file), text);
    execFileSync('genrb', ['-q', '-s', src, '-d', out, file]);
    items.push(`${tree ? `${tree}/` : ''}${file.replace(/\.txt$/, '.res')}`);
  }
  writeFileSync(join(dir, 'items.lst'), `${items.join('\n')}\n`);
  execFileSync('icupkg', ['-tl', '-a', join(dir, 'items.lst'), '-s', join(dir, 'out'), 'new', join(dir, `${PREFIX}.dat`)]);
  return readFileSync(join(dir, `${PREFIX}.dat`));
}

let pkg: Buffer;
/** The package among other bytes, 16-aligned, as node's read-only data holds it. */
let binary: Buffer;
const AT = 4096;

beforeAll(() => {
  ensureDebianPackages(['icu-devtools']);
  pkg = makePackage(SOURCES, 'full');
  binary = Buffer.concat([Buffer.alloc(AT, 0x11), pkg, Buffer.alloc(1000, 0x22)]);
});

const itemBytes = (buf: Buffer, data: CommonData, name: string): Buffer => {
  const item = data.items.find((i) => i.name === name);
  if (!item) throw new Error(`no item ${name}`);
  return buf.subarray(data.offset + item.offset, data.offset + item.offset + item.length);
};

describe('ICU common data in a binary', () => {
  it('is found where it is, with its prefix, its items and its length to the end of its last item', () => {
    const data = findCommonData(binary);
    expect(data.offset).toBe(AT);
    expect(data.prefix).toBe(PREFIX);
    expect(data.items.map((i) => i.name).sort()).toEqual(Object.keys(SOURCES).map((s) => s.replace(/\.txt$/, '.res')).sort());
    // icupkg pads its file to 16 bytes with 0xaa after the last item; the package ends before that.
    expect(data.length).toBeLessThanOrEqual(pkg.length);
    expect(pkg.length - data.length).toBeLessThan(16);
    expect([...pkg.subarray(data.length)].every((b) => b === 0xaa)).toBe(true);
    // Each item is a resource bundle that starts with ICU's data header.
    for (const i of data.items) expect(binary.subarray(AT + i.offset + 2, AT + i.offset + 4)).toEqual(Buffer.from([0xda, 0x27]));
  });

  it('is refused when there is none, or two', () => {
    expect(() => findCommonData(Buffer.alloc(10_000, 0x11))).toThrow(/no ICU common data/);
    expect(() => findCommonData(Buffer.concat([binary, pkg]))).toThrow(/2 ICU common data packages/);
  });

  it('is replaced in place by a smaller package, zeros up to the old end, everything around it unchanged', () => {
    const data = findCommonData(binary);
    const smaller = makePackage({ 'root.txt': SOURCES['root.txt']!, 'en.txt': SOURCES['en.txt']! }, 'small');
    const out = replaceCommonData(binary, data, smaller);
    expect(out.length).toBe(binary.length);
    expect(out.subarray(0, AT)).toEqual(binary.subarray(0, AT));
    expect(out.subarray(AT, AT + smaller.length)).toEqual(smaller);
    expect([...out.subarray(AT + smaller.length, AT + data.length)].every((b) => b === 0)).toBe(true);
    expect(out.subarray(AT + data.length)).toEqual(binary.subarray(AT + data.length));
    expect(findCommonData(out).items.map((i) => i.name).sort()).toEqual(['en.res', 'root.res']);
    expect(() => replaceCommonData(binary, { ...data, length: 64 }, smaller)).toThrow(/larger than the old/);
  });
});

describe('resource bundles', () => {
  it("reads genrb's res_index: its strings and its tables of locales", () => {
    const data = findCommonData(binary);
    expect(readResourceBundle(itemBytes(binary, data, 'res_index.res'))).toEqual({
      CLDRVersion: '48',
      InstalledLocales: { de: '', en: '', en_GB: '', fr: '', fr_CA: '' },
      AliasLocales: { en_UK: '', iw: '' },
    });
    expect(readResourceBundle(itemBytes(binary, data, 'de.res'))).toEqual({ hello: 'Hallo' });
    expect(() => readResourceBundle(Buffer.alloc(64))).toThrow(/not an ICU resource bundle/);
  });
});

describe('English only', () => {
  it('removes every locale but root and en* from the indexed trees, keeps brkitr whole and everything that is not a locale', () => {
    const plan = planEnglishOnly(findCommonData(binary).items);
    expect(plan.remove).toEqual(['coll/de.res', 'de.res', 'fr.res', 'fr_CA.res']);
    expect(Object.fromEntries(plan.trees)).toEqual({ '': ['en', 'en_GB'], coll: [] });
  });

  it('writes each index again with only what is kept, and genrb compiles it to what the reader reads back', () => {
    const data = findCommonData(binary);
    const source = indexSource(readResourceBundle(itemBytes(binary, data, 'res_index.res')), ['en', 'en_GB']);
    const dir = join(scratch, 'index');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'res_index.txt'), source);
    execFileSync('genrb', ['-q', '--formatVersion', '2', '-s', dir, '-d', dir, 'res_index.txt']);
    expect(readResourceBundle(readFileSync(join(dir, 'res_index.res')))).toEqual({ CLDRVersion: '48', InstalledLocales: { en: '', en_GB: '' }, AliasLocales: {} });
    expect(() => indexSource({ CLDRVersion: '48' }, ['en'])).toThrow(/without an InstalledLocales table/);
  });
});

describe('the probe of an English-only runtime', () => {
  const full: IcuProbe = {
    icu: '78.3',
    defaultLocale: 'en-US',
    german: 'de-DE',
    supported: ['de', 'en-GB', 'fr'],
    japaneseWords: 5,
    timeZones: 418,
    tokyoHour: '9 AM',
    lower: 'i̇ǆ',
    nfd: 2,
    collated: ['a', 'A', 'b', 'B'],
    region: 'Germany',
  };
  const trimmed: IcuProbe = { ...full, german: 'en-US', supported: ['en-GB'] };

  it('passes when other locales resolve to English and all else answers as the full runtime', () => {
    expect(englishOnlyProblems(trimmed, full)).toEqual([]);
  });

  it('names what differs: a locale still claimed, a lost dictionary, a lost time zone', () => {
    expect(englishOnlyProblems({ ...trimmed, supported: ['de', 'en-GB'] }, full)).toEqual([`supportedLocalesOf(['de', 'en-GB', 'fr']): ["de","en-GB"], expected ["en-GB"]`]);
    expect(englishOnlyProblems({ ...trimmed, japaneseWords: 1, timeZones: 1 }, full)).toEqual(['japaneseWords: 1, expected 5', 'timeZones: 1, expected 418']);
    expect(englishOnlyProblems(full, full)).toHaveLength(2);
  });
});
