import { ShapeError, formatShape } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';

/** Numpy broadcast of two shapes (rank <= 4 here), or undefined when they do not broadcast. */
export function broadcastShape(a: Shape, b: Shape): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
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
