import { OptionError } from '@motiondelta/core';
import type { WorldPoint } from './rectangles.js';

/**
 * Maps an input-pixel viewport offset to one layer's pixels.
 *
 * The viewport may only move by whole multiples of the network's total stride `S`: then every layer
 * (stride `s` dividing `S`) moves by the integer `o / s` of its own pixels, so its buffer keeps
 * holding the same world positions. A sub-stride remainder belongs in the frame warp, never in the
 * buffer offset (see docs/architecture/motion.md), which is why it is rejected here instead of rounded.
 *
 * @param offset - world offset in input pixels (one axis); must be a multiple of `totalStride`.
 * @param layerStride - the layer's stride relative to the input (product of strides so far).
 * @param totalStride - the network's total stride; `layerStride` must divide it.
 * @throws OptionError when an argument is not a suitable integer or `offset` is not a multiple of `totalStride`.
 *
 * @example
 * ```ts
 * layerOffset(-48, 4, 16); // -12
 * ```
 */
export function layerOffset(offset: number, layerStride: number, totalStride: number): number {
  checkStrides(layerStride, totalStride);
  if (!Number.isSafeInteger(offset)) {
    throw new OptionError(`Viewport offset o=${offset} must be an integer number of input pixels.`);
  }
  if (offset % totalStride !== 0) {
    throw new OptionError(
      `Viewport offset o=${offset} is not a multiple of the network's total stride S=${totalStride}; ` +
        'move the viewport by multiples of S and put the remainder in the frame warp.',
    );
  }
  // `offset / layerStride` is exact: layerStride divides totalStride, which divides offset.
  // `+ 0` turns -0 into 0 so that results compare equal with Object.is and print cleanly.
  return offset / layerStride + 0;
}

/** {@link layerOffset} on both axes of an input-pixel world offset. */
export function layerOrigin(offset: WorldPoint, layerStride: number, totalStride: number): WorldPoint {
  return { y: layerOffset(offset.y, layerStride, totalStride), x: layerOffset(offset.x, layerStride, totalStride) };
}

function checkStrides(layerStride: number, totalStride: number): void {
  if (!Number.isSafeInteger(totalStride) || totalStride < 1) {
    throw new OptionError(`Total stride S=${totalStride} must be a positive integer.`);
  }
  if (!Number.isSafeInteger(layerStride) || layerStride < 1 || totalStride % layerStride !== 0) {
    throw new OptionError(`Layer stride ${layerStride} must be a positive integer that divides the total stride S=${totalStride}.`);
  }
}
