import { ShapeError } from './errors.js';
import { formatShape } from './tensor.js';
import type { Shape } from './tensor.js';

/** The numpy broadcast of two shapes (ranks aligned at the right), or a ShapeError. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i} of the result: ${da} vs ${db}); numpy rules need equal sizes or 1.`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Row-major strides of `shape` seen as a tensor of rank `outShape.length`: missing leading axes
 * and size-1 axes that broadcast get stride 0, so reading with these strides repeats the value.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    const o = rank - shape.length + i;
    strides[o] = d === 1 && outShape[o] !== 1 ? 0 : s;
    s *= d;
  }
  return strides;
}
