import { ShapeError, broadcastShapes, formatShape } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';

/** Numpy broadcast of two shapes (core's rules), or undefined when they do not broadcast. */
export function broadcastShape(a: Shape, b: Shape): number[] | undefined {
  try {
    return broadcastShapes('broadcast', a, b);
  } catch (error) {
    if (ShapeError.isInstance(error)) return undefined;
    throw error;
  }
}

/**
 * Strides of `shape` read in the NHWC frame of `out` (right-aligned, 0 along broadcast axes), as
 * Int32Array [sN, sH, sW, sC] for the native kernels.
 */
export function broadcastStrides(op: string, shape: Shape, out: readonly [number, number, number, number]): Int32Array {
  if (shape.length > 4) throw new ShapeError(`${op}: operand ${formatShape(shape)} has rank above 4; the output is NHWC.`);
  const padded = [...Array<number>(4 - shape.length).fill(1), ...shape];
  const strides = new Int32Array(4);
  let stride = 1;
  for (let i = 3; i >= 0; i--) {
    const d = padded[i]!;
    if (d !== 1 && d !== out[i]) throw new ShapeError(`${op}: operand ${formatShape(shape)} does not broadcast to ${formatShape(out)}.`);
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}
