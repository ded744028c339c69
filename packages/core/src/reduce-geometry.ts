import { ShapeError } from './errors.js';
import type { ReduceAttrs } from './ops.js';
import { formatShape, type Shape } from './tensor.js';

/** A Reduce resolved against an input shape. */
export interface ReduceGeometry {
  /** Per input axis: whether it is reduced. */
  readonly reduced: readonly boolean[];
  /** The output shape (reduced axes kept as 1 or removed, as `keepDims` says). */
  readonly outShape: readonly number[];
  /** How many input values fall into each output value. */
  readonly groupSize: number;
}

/**
 * Checks Reduce axes against an input shape and computes the output shape: the rules shape
 * inference and every backend's Reduce share.
 *
 * @example
 * ```ts
 * reduceGeometry('Reduce', [1, 8, 8, 3], { kind: 'mean', axes: [1, 2], keepDims: true }).outShape; // [1, 1, 1, 3]
 * reduceGeometry('Reduce', [1, 8, 8, 3], { kind: 'max', axes: [-1], keepDims: false }).outShape; // [1, 8, 8]
 * ```
 * @throws ShapeError for an axis out of range or listed twice
 */
export function reduceGeometry(op: string, input: Shape, attrs: Pick<ReduceAttrs, 'axes' | 'keepDims'>): ReduceGeometry {
  const rank = input.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const raw of attrs.axes) {
    const axis = raw < 0 ? raw + rank : raw;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
      throw new ShapeError(`${op}: axis ${raw} is out of range for input ${formatShape(input)}; accepted: ${-rank}..${rank - 1}.`);
    }
    if (reduced[axis]) throw new ShapeError(`${op}: axis ${raw} is listed twice in axes [${attrs.axes.join(',')}].`);
    reduced[axis] = true;
  }
  const outShape: number[] = [];
  let groupSize = 1;
  input.forEach((d, i) => {
    if (!reduced[i]) outShape.push(d);
    else {
      groupSize *= d;
      if (attrs.keepDims) outShape.push(1);
    }
  });
  return { reduced, outShape, groupSize };
}
