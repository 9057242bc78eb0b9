// The layer compressions the image build writes. gzip is what every runtime can pull; zstd is
// smaller but needs containerd >= 1.5 or Docker >= 23 (docs/images.md#zstd-layers), so it is a
// second set of layouts beside the gzip ones, never a replacement.

export const LAYER_COMPRESSIONS = ['gzip', 'zstd'] as const;
export type LayerCompression = (typeof LAYER_COMPRESSIONS)[number];

/** The value of `--compression`; throws naming the value and the accepted forms. */
export function parseCompression(value: string): LayerCompression {
  const found = LAYER_COMPRESSIONS.find((c) => c === value.trim().toLowerCase());
  if (!found) throw new Error(`--compression "${value}" is not a layer compression: expected one of ${LAYER_COMPRESSIONS.join(', ')}`);
  return found;
}

/** Where under the output root the layouts of a compression go: images/ or images-zstd/. */
export function imagesDirName(c: LayerCompression): string {
  return c === 'gzip' ? 'images' : `images-${c}`;
}
