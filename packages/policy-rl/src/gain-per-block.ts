import { OptionError, type BlockGrid } from '@motiondelta/core';
import type { GainMap } from './information-gain.js';

/** How the gains of the output pixels inside a block become the block's gain. */
export type GainPool = 'max' | 'mean';

/** Throws OptionError unless `pool` is a {@link GainPool}. */
export function checkGainPool(pool: unknown): GainPool {
  if (pool !== 'max' && pool !== 'mean') throw new OptionError(`gainPool must be 'max' or 'mean'; got ${String(pool)}.`);
  return pool;
}

/**
 * Pools a per-pixel gain map into the block grid, row-major. The output is assumed to cover the
 * input frame (any stride: an output pixel belongs to the block under its centre, scaled by
 * `grid.height / map.height` and `grid.width / map.width`). `max` follows BlockCopy (a block gained
 * as much as its most changed output pixel); `mean` is gentler on noisy maps. A map of one pixel (a
 * classifier's output, a global vector) gives every block the same gain.
 *
 * @example
 * ```ts
 * import { blockGridOf } from '@motiondelta/core';
 * import { gainPerBlock } from '@motiondelta/policy-rl';
 * const map = { height: 2, width: 2, data: new Float64Array([1, 0, 0, 3]) };
 * gainPerBlock(map, blockGridOf(64, 64, 32), 'max'); // [1, 0, 0, 3]
 * ```
 */
export function gainPerBlock(map: GainMap, grid: BlockGrid, pool: GainPool): Float64Array {
  const n = grid.rows * grid.cols;
  const out = new Float64Array(n);
  const counts = new Float64Array(n);
  const sy = grid.height / map.height;
  const sx = grid.width / map.width;
  for (let oy = 0; oy < map.height; oy++) {
    const r = Math.min(grid.rows - 1, Math.floor(((oy + 0.5) * sy) / grid.blockSize));
    for (let ox = 0; ox < map.width; ox++) {
      const c = Math.min(grid.cols - 1, Math.floor(((ox + 0.5) * sx) / grid.blockSize));
      const v = map.data[oy * map.width + ox]!;
      const i = r * grid.cols + c;
      if (pool === 'max') out[i] = Math.max(out[i]!, v);
      else out[i]! += v;
      counts[i]!++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (counts[i] === 0) {
      // A block no output pixel falls in (an output coarser than the grid): it takes the value of
      // the output pixel over its centre.
      out[i] = valueAtBlockCentre(map, grid, i);
    } else if (pool === 'mean') {
      out[i] = out[i]! / counts[i]!;
    }
  }
  return out;
}

function valueAtBlockCentre(map: GainMap, grid: BlockGrid, i: number): number {
  const r = Math.floor(i / grid.cols);
  const c = i % grid.cols;
  const y = Math.min(grid.height - 1, (r + 0.5) * grid.blockSize);
  const x = Math.min(grid.width - 1, (c + 0.5) * grid.blockSize);
  const oy = Math.min(map.height - 1, Math.floor((y * map.height) / grid.height));
  const ox = Math.min(map.width - 1, Math.floor((x * map.width) / grid.width));
  return map.data[oy * map.width + ox]!;
}
