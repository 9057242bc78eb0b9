// `--compression zstd`: after the gzip build, one zstd layout per app in <dist>/images-zstd,
// each derived from its gzip layout (./zstd-layout.ts). An app whose gzip layout and zstd
// settings match what its zstd layout was made from is left alone; a layer already in
// images-zstd with the same diff_id and settings is copied, not compressed again (the runtime
// layers take a minute each and change only with node or a library).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../progress.js';
import { INPUTS_FILE, SIZES_FILE } from './build-images.js';
import { layerSizeMarkdown, layerSizeRows, layerSizeTable, type LayerSizeRow } from './layer-sizes.js';
import { blobPath, readOciLayout, verifyBlob } from './oci-layout.js';
import { zstdLevelArgs, zstdVersion, type ZstdSettings } from './zstd.js';
import { writeZstdLayout } from './zstd-layout.js';

export interface BuildZstdImagesOptions {
  /** The gzip layouts (<dist>/images). */
  sourceDir: string;
  /** <dist>/images-zstd */
  outDir: string;
  apps: readonly string[];
  scratchDir: string;
  settings: ZstdSettings;
  progress: Progress;
  force?: boolean;
}

export interface BuildZstdImagesResult {
  rows: LayerSizeRow[];
  built: string[];
  layouts: Record<string, string>;
  /** What the layers were compressed with, as recorded in build-inputs.json. */
  compressor: string;
}

interface Recorded {
  /** zstd --version and the flags. */
  zstd: string;
  /** sha256 of the gzip layout's index.json, which names everything in it by digest. */
  source: string;
}

export async function buildZstdImages(o: BuildZstdImagesOptions): Promise<BuildZstdImagesResult> {
  const { progress } = o;
  const compressor = `${zstdVersion()} ${zstdLevelArgs(o.settings).join(' ')}`;
  const layouts = Object.fromEntries(o.apps.map((app) => [app, join(o.outDir, app)]));
  const inputsFile = join(o.outDir, INPUTS_FILE);
  const recorded: Record<string, Recorded> = existsSync(inputsFile) ? (JSON.parse(readFileSync(inputsFile, 'utf8')) as Record<string, Recorded>) : {};
  const wanted = (app: string): Recorded => ({
    zstd: compressor,
    source: createHash('sha256').update(readFileSync(join(o.sourceDir, app, 'index.json'))).digest('hex'),
  });
  const matches = (a: Recorded | undefined, b: Recorded): boolean => a?.zstd === b.zstd && a.source === b.source;

  // Every zstd layer of every layout made with these settings, by the tar it decompresses to.
  const known = new Map<string, string>();
  for (const [app, r] of Object.entries(recorded)) {
    const dir = join(o.outDir, app);
    if (r.zstd !== compressor || !existsSync(join(dir, 'index.json'))) continue;
    for (const image of readOciLayout(dir).images) {
      image.manifest.layers.forEach((l, i) => {
        const diffId = image.config.rootfs.diff_ids[i];
        if (diffId) known.set(diffId, blobPath(dir, l.digest));
      });
    }
  }

  const built: string[] = [];
  for (const app of o.apps) {
    const want = wanted(app);
    if (!o.force && matches(recorded[app], want) && existsSync(join(layouts[app]!, 'index.json'))) {
      progress.info(`${app}: zstd layout up to date with ${join(o.sourceDir, app)} (${inputsFile})`);
      continue;
    }
    await progress.step(
      `zstd layout ${app} (${compressor})`,
      () => writeZstdLayout({ source: join(o.sourceDir, app), target: layouts[app]!, scratchDir: o.scratchDir, settings: o.settings, known }),
      (r) => `${r.compressed} layers compressed, ${r.reused} reused`,
    );
    recorded[app] = want;
    writeFileSync(inputsFile, `${JSON.stringify(recorded, null, 2)}\n`);
    built.push(app);
  }

  const rows: LayerSizeRow[] = [];
  for (const app of o.apps) {
    const layout = readOciLayout(layouts[app]!);
    for (const image of layout.images) for (const l of image.manifest.layers) verifyBlob(layout.dir, l);
    rows.push(...layerSizeRows(app, layout));
  }
  progress.info(`layer sizes (zstd, ${compressor}):\n${layerSizeTable(rows)}`);
  writeFileSync(join(o.outDir, SIZES_FILE), `${layerSizeMarkdown(rows)}\n`);
  return { rows, built, layouts, compressor };
}
