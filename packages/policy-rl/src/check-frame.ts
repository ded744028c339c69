import { ShapeError, formatShape, type BlockGrid, type Tensor } from '@motiondelta/core';

/** Height, width and channels of a frame's NHWC batch-1 input, checked against the grid. */
export interface FrameDims {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * Throws ShapeError unless `input` is a batch-1 NHWC image of the grid's size and the grid is the
 * one `blockGridOf` gives for it (policies index blocks by it, so a wrong grid would read out of
 * range).
 */
export function checkFrame(policy: string, input: Tensor, grid: BlockGrid): FrameDims {
  const s = input.shape;
  if (s.length !== 4 || s[0] !== 1) {
    throw new ShapeError(`The '${policy}' policy takes an NHWC input of batch 1, [1,H,W,C]; got ${formatShape(s)}.`);
  }
  const [, height, width, channels] = s as [number, number, number, number];
  if (height !== grid.height || width !== grid.width) {
    throw new ShapeError(`The '${policy}' policy got an input of ${height}x${width} for a grid made for ${grid.height}x${grid.width}.`);
  }
  if (!Number.isInteger(grid.blockSize) || grid.blockSize < 1) {
    throw new ShapeError(`The '${policy}' policy needs a block size that is a positive integer; got ${grid.blockSize}.`);
  }
  if (grid.rows !== Math.ceil(height / grid.blockSize) || grid.cols !== Math.ceil(width / grid.blockSize)) {
    throw new ShapeError(
      `The '${policy}' policy got a ${grid.rows}x${grid.cols} grid, but blocks of ${grid.blockSize} over ${height}x${width} make ${Math.ceil(height / grid.blockSize)}x${Math.ceil(width / grid.blockSize)}.`,
    );
  }
  if (input.data.length !== height * width * channels) {
    throw new ShapeError(`The '${policy}' policy got ${input.data.length} values for an input of shape ${formatShape(s)}.`);
  }
  return { height, width, channels };
}

/** Throws ShapeError unless a decision or feedback mask covers the grid. */
export function checkMask(policy: string, what: string, mask: Uint8Array, grid: BlockGrid): void {
  if (mask.length !== grid.rows * grid.cols) {
    throw new ShapeError(`The '${policy}' policy got ${what} of ${mask.length} blocks for a ${grid.rows}x${grid.cols} grid.`);
  }
}
