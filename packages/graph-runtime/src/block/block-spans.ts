import type { TileSpan } from '@motiondelta/core';

/**
 * The output rows (or columns) each of `count` blocks of `blockSize` input pixels covers in a map
 * of `outSize` made from an input of `inSize`: the block's input span scaled by `outSize / inSize`
 * (the layer's cumulative stride or upscale), rounded outwards, so that an output pixel a block
 * edge cuts belongs to both blocks (recomputed when either executes). With every block executed
 * the spans cover the whole map.
 *
 * @example
 * ```ts
 * blockSpans(3, 128, 300, 75); // [[0, 32], [32, 64], [64, 75]]: a stride-4 map of a 300-pixel input
 * ```
 */
export function blockSpans(count: number, blockSize: number, inSize: number, outSize: number): TileSpan[] {
  const spans: TileSpan[] = [];
  for (let b = 0; b < count; b++) {
    const from = b * blockSize;
    const to = Math.min(inSize, from + blockSize);
    spans.push([Math.floor((from * outSize) / inSize), Math.min(outSize, Math.ceil((to * outSize) / inSize))]);
  }
  return spans;
}
