// An English-only copy of a pinned runtime for the images' runtime layer: the stripped node
// with its ICU data cut down to English and root (english-only.ts), written back in place
// (common-data.ts). The package is rebuilt with ICU's own tools from Debian's icu-devtools:
// icupkg takes items out and puts the new indexes in, genrb compiles those indexes. Then the
// copy is run (under qemu for a foreign target) and must answer as small-icu Node does, or
// the build fails. Cached per stripped binary, tool version and plan version.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';
import { populateAtomically } from '../files.js';
import { formatBytes } from '../format.js';
import type { Progress } from '../progress.js';
import type { Runtime } from '../runtime.js';
import { emulated, type Target } from '../targets.js';
import { findCommonData, replaceCommonData } from './common-data.js';
import { indexSource, planEnglishOnly } from './english-only.js';
import { readResourceBundle } from './resource-bundle.js';

/** What ICU data the images' node carries: English and root only (the default), or all of it. */
export const ICU_DATA_CHOICES = ['en', 'full'] as const;
export type IcuData = (typeof ICU_DATA_CHOICES)[number];

export function parseIcuData(value: string): IcuData {
  if ((ICU_DATA_CHOICES as readonly string[]).includes(value)) return value as IcuData;
  throw new Error(`--icu "${value}": expected one of ${ICU_DATA_CHOICES.join(', ')}`);
}

/** Bumped whenever what is kept changes, so cached copies are made again. */
const PLAN_VERSION = 1;

export interface EnglishOnlyRuntime {
  /** The node binary with English-only ICU data, same size as the stripped one. */
  node: string;
  stamp: EnglishOnlyStamp;
}

export interface EnglishOnlyStamp {
  key: string;
  icu: string;
  items: { before: number; after: number };
  dataBytes: { before: number; after: number };
  /** What the copy answered to the probe (ICU_PROBE_SCRIPT). */
  probe: IcuProbe;
}

/** What a node says about its ICU data: the checks an English-only copy must pass. */
export interface IcuProbe {
  icu: string;
  defaultLocale: string;
  /** The locale Intl.NumberFormat('de-DE') resolves to. */
  german: string;
  supported: string[];
  /** Words in a Japanese sentence, segmented for 'en': the dictionary breaker at work. */
  japaneseWords: number;
  timeZones: number;
  tokyoHour: string;
  lower: string;
  nfd: number;
  collated: string[];
  region: string;
}

/** A script for node -e that prints an IcuProbe as JSON. */
export const ICU_PROBE_SCRIPT = `const seg = new Intl.Segmenter('en', { granularity: 'word' });
process.stdout.write(JSON.stringify({
  icu: process.versions.icu,
  defaultLocale: new Intl.DateTimeFormat().resolvedOptions().locale,
  german: new Intl.NumberFormat('de-DE').resolvedOptions().locale,
  supported: Intl.DateTimeFormat.supportedLocalesOf(['de', 'en-GB', 'fr']),
  japaneseWords: [...seg.segment('今日は良い天気です')].filter((s) => s.isWordLike).length,
  timeZones: Intl.supportedValuesOf('timeZone').length,
  tokyoHour: new Date(0).toLocaleString('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric' }),
  lower: 'İǅ'.toLowerCase(),
  nfd: 'é'.normalize('NFD').length,
  collated: ['b', 'A', 'a', 'B'].sort(new Intl.Collator('en').compare),
  region: new Intl.DisplayNames('en', { type: 'region' }).of('DE'),
}));`;

export async function probeIcu(target: Target, node: string): Promise<IcuProbe> {
  const [cmd, args] = emulated(target, node, ['-e', ICU_PROBE_SCRIPT]);
  return JSON.parse((await run(cmd, args)).stdout) as IcuProbe;
}

/** Why `probe` is not what an English-only copy of the runtime that answered `full` must say; empty when it is. */
export function englishOnlyProblems(probe: IcuProbe, full: IcuProbe): string[] {
  const problems: string[] = [];
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  expect('ICU version', probe.icu, full.icu);
  expect('default locale', probe.defaultLocale, 'en-US');
  expect("Intl.NumberFormat('de-DE') resolves to", probe.german, 'en-US');
  expect("supportedLocalesOf(['de', 'en-GB', 'fr'])", probe.supported, ['en-GB']);
  // What English keeps must not change at all.
  for (const k of ['japaneseWords', 'timeZones', 'tokyoHour', 'lower', 'nfd', 'collated', 'region'] as const) expect(k, probe[k], full[k]);
  return problems;
}

/** "icu-devtools 72.1-3+deb12u1": genrb's output, so the copy's bytes, depend on it. */
async function icuToolsVersion(): Promise<string> {
  const out = await run('dpkg-query', ['-W', '-f', '${Version}', 'icu-devtools']).catch((e: unknown) => {
    throw new Error(`icupkg and genrb are not installed (Debian package "icu-devtools"): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  return `icu-devtools ${out.stdout.trim()}`;
}

export async function ensureEnglishOnlyRuntime(target: Target, runtime: Runtime, cache: string, progress: Progress): Promise<EnglishOnlyRuntime> {
  const stripped = await readFile(runtime.stripped);
  const tools = await icuToolsVersion();
  const key = createHash('sha256').update(stripped).update(`\0${tools}\0${PLAN_VERSION}`).digest('hex').slice(0, 16);
  const dir = join(cache, 'runtimes-icu-en', `${runtime.pin.package}-${runtime.pin.version}`);
  const paths = { node: join(dir, 'node'), stamp: join(dir, 'stamp.json') };
  const label = `English-only ICU ${target.arch}: node ${runtime.pin.version}`;
  const cached = await readFile(paths.stamp, 'utf8').then((s) => JSON.parse(s) as EnglishOnlyStamp, () => undefined);
  if (cached?.key === key) {
    progress.info(`${label}: cached (ICU data ${formatBytes(cached.dataBytes.before)} → ${formatBytes(cached.dataBytes.after)})`);
    return { node: paths.node, stamp: cached };
  }
  const stamp = await progress.step(
    label,
    async () => {
      let result: EnglishOnlyStamp | undefined;
      await populateAtomically(dir, async (scratch) => {
        const data = findCommonData(stripped);
        const plan = planEnglishOnly(data.items);
        const pkg = (sub: string) => join(scratch, sub, `${data.prefix}.dat`);
        await mkdir(join(scratch, 'in'), { recursive: true });
        await mkdir(join(scratch, 'out'), { recursive: true });
        await writeFile(pkg('in'), stripped.subarray(data.offset, data.offset + data.length));

        const added: string[] = [];
        for (const [tree, locales] of plan.trees) {
          const name = tree ? `${tree}/res_index.res` : 'res_index.res';
          const item = data.items.find((i) => i.name === name)!;
          const bytes = stripped.subarray(data.offset + item.offset, data.offset + item.offset + item.length);
          const src = join(scratch, 'src', tree);
          const out = join(scratch, 'add', tree);
          await mkdir(src, { recursive: true });
          await mkdir(out, { recursive: true });
          await writeFile(join(src, 'res_index.txt'), indexSource(readResourceBundle(bytes), locales));
          // The same formatVersion as the index it replaces.
          await run('genrb', ['-q', '--formatVersion', String(bytes[16]), '-s', src, '-d', out, 'res_index.txt']);
          added.push(name);
        }
        await writeFile(join(scratch, 'remove.lst'), `${plan.remove.join('\n')}\n`);
        await writeFile(join(scratch, 'add.lst'), `${added.join('\n')}\n`);
        await run('icupkg', ['-r', join(scratch, 'remove.lst'), pkg('in'), pkg('out')]);
        await run('icupkg', ['-a', join(scratch, 'add.lst'), '-s', join(scratch, 'add'), pkg('out')]);

        const smaller = await readFile(pkg('out'));
        const patched = replaceCommonData(stripped, data, smaller);
        const after = findCommonData(patched);
        if (after.offset !== data.offset || after.items.length !== data.items.length - plan.remove.length) {
          throw new Error(`the rewritten ICU data reads back wrong: ${after.items.length} items at ${after.offset}, expected ${data.items.length - plan.remove.length} at ${data.offset}`);
        }
        const node = join(scratch, 'node');
        await writeFile(node, patched);
        await chmod(node, 0o755);

        const [full, probe] = [await probeIcu(target, runtime.stripped), await probeIcu(target, node)];
        const problems = englishOnlyProblems(probe, full);
        if (problems.length > 0) throw new Error(`the English-only node ${runtime.pin.version} (${target.arch}) does not answer as it should:\n  ${problems.join('\n  ')}`);
        result = { key, icu: data.prefix, items: { before: data.items.length, after: after.items.length }, dataBytes: { before: data.length, after: smaller.length }, probe };
        await writeFile(join(scratch, 'stamp.json'), `${JSON.stringify(result, null, 2)}\n`);
        for (const sub of ['in', 'out', 'src', 'add']) await rm(join(scratch, sub), { recursive: true, force: true });
      });
      return result!;
    },
    (s) => `${s.icu}: ${s.items.before} → ${s.items.after} items, ICU data ${formatBytes(s.dataBytes.before)} → ${formatBytes(s.dataBytes.after)}`,
  );
  return { node: paths.node, stamp };
}
