// The per-app, per-platform layer size table the build prints and the docs quote. Sizes are
// the compressed (gzip) blob sizes a node downloads, in decimal MB like registries show.
import { formatTable } from '../format.js';
import type { OciLayout } from './oci-layout.js';

export interface LayerSizeRow {
  app: string;
  platform: string;
  runtimeDigest: string;
  runtimeBytes: number;
  appBytes: number;
}

/** One row per platform of each app: layer 0 is the runtime, layer 1 the app. */
export function layerSizeRows(app: string, layout: OciLayout): LayerSizeRow[] {
  return layout.images.map((image) => {
    const [runtime, appLayer, ...extra] = image.manifest.layers;
    if (!runtime || !appLayer || extra.length > 0) {
      throw new Error(`${app} ${image.platform}: expected exactly 2 layers, found ${image.manifest.layers.length}`);
    }
    return { app, platform: image.platform, runtimeDigest: runtime.digest, runtimeBytes: runtime.size, appBytes: appLayer.size };
  });
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

const HEADER = ['app', 'platform', 'runtime layer', 'app layer', 'total', 'runtime layer digest'];

function cells(r: LayerSizeRow): string[] {
  return [r.app, r.platform, megabytes(r.runtimeBytes), megabytes(r.appBytes), megabytes(r.runtimeBytes + r.appBytes), r.runtimeDigest.slice(0, 19)];
}

/** Plain-text table for the build output. */
export function layerSizeTable(rows: readonly LayerSizeRow[]): string {
  return formatTable([HEADER, ...rows.map(cells)]);
}

/** The same table as Markdown, for docs/images.md and the README. */
export function layerSizeMarkdown(rows: readonly LayerSizeRow[]): string {
  const line = (c: readonly string[]): string => `| ${c.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}
