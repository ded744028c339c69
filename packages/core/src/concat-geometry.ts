import { ShapeError } from './errors.js';
import { normalizeAxis } from './kernel-inputs.js';
import { formatShape, sizeOf, type Shape } from './tensor.js';

/** The checked shapes of a Concat: each input contributes `outer` chunks of `shape[axis] * inner` values. */
export interface ConcatGeometry {
  readonly axis: number;
  readonly outShape: readonly number[];
  /** Product of the axes before `axis`. */
  readonly outer: number;
  /** Product of the axes after `axis`. */
  readonly inner: number;
}

/**
 * Concat shapes along `axis` (negative counts from the end): every input has the same rank and
 * the same dimensions outside `axis`. The one set of checks every backend's Concat runs.
 *
 * @example
 * ```ts
 * concatGeometry('Concat', -1, [[1, 4, 4, 3], [1, 4, 4, 5]]).outShape; // [1, 4, 4, 8]
 * ```
 */
export function concatGeometry(op: string, axisAttr: number, shapes: readonly Shape[]): ConcatGeometry {
  const first = shapes[0];
  if (first === undefined) throw new ShapeError(`${op}: needs at least one input.`);
  const rank = first.length;
  if (rank === 0) throw new ShapeError(`${op}: inputs are scalars; concatenation needs rank >= 1.`);
  const axis = normalizeAxis(op, axisAttr, rank);
  let axisTotal = 0;
  for (const shape of shapes) {
    if (shape.length !== rank || shape.some((d, i) => i !== axis && d !== first[i])) {
      throw new ShapeError(
        `${op}: input shapes ${shapes.map(formatShape).join(', ')} differ outside axis ${axis}; all other dimensions must match.`,
      );
    }
    axisTotal += shape[axis]!;
  }
  const outShape = first.map((d, i) => (i === axis ? axisTotal : d));
  return { axis, outShape, outer: sizeOf(first.slice(0, axis)), inner: sizeOf(first.slice(axis + 1)) };
}
