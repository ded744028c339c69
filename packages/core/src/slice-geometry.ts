import { ShapeError } from './errors.js';
import type { SliceAttrs } from './ops.js';
import { formatShape, type Shape } from './tensor.js';

/** One axis of a resolved Slice: output index `k` reads input index `start + k * step`. */
export interface SliceAxis {
  readonly start: number;
  readonly step: number;
  readonly length: number;
}

/** A Slice resolved against an input shape: one entry per input axis (unlisted axes whole). */
export interface SliceGeometry {
  readonly axes: readonly SliceAxis[];
  readonly outShape: readonly number[];
}

/**
 * Resolves Slice attributes (ONNX semantics, see {@link SliceAttrs}) against an input shape: the
 * one set of checks and clamping rules that shape inference and every backend's Slice share.
 *
 * @example
 * ```ts
 * sliceGeometry('Slice', [1, 8, 8, 3], { starts: [1], ends: [1e9], axes: [1], steps: [2] }).outShape; // [1, 4, 8, 3]
 * sliceGeometry('Slice', [5], { starts: [-1], ends: [-1e9], axes: [0], steps: [-1] }).outShape; // [5], reversed
 * ```
 * @throws ShapeError when the lists differ in length, an axis is out of range or repeated, a step
 *   is zero, or a value is not a whole number
 */
export function sliceGeometry(op: string, input: Shape, attrs: SliceAttrs): SliceGeometry {
  const { starts, ends, axes, steps } = attrs;
  const rank = input.length;
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new ShapeError(
      `${op}: starts, ends, axes and steps have ${starts.length}, ${ends.length}, ${axes.length} and ${steps.length} values; they must have one per sliced axis.`,
    );
  }
  const resolved: SliceAxis[] = input.map((d) => ({ start: 0, step: 1, length: d }));
  const seen = new Set<number>();
  for (let i = 0; i < axes.length; i++) {
    const raw = axes[i]!;
    const axis = raw < 0 ? raw + rank : raw;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
      throw new ShapeError(`${op}: axis ${raw} is out of range for input ${formatShape(input)}; accepted: ${-rank}..${rank - 1}.`);
    }
    if (seen.has(axis)) throw new ShapeError(`${op}: axis ${raw} is listed twice in axes [${axes.join(',')}].`);
    seen.add(axis);
    const step = steps[i]!;
    const start = starts[i]!;
    const end = ends[i]!;
    // Whole numbers only; ONNX writes "to the end" as INT64_MAX, which arrives here rounded to a double.
    if (!Number.isInteger(step) || step === 0 || Number.isNaN(start) || Number.isNaN(end)) {
      throw new ShapeError(`${op}: axis ${raw} has start ${start}, end ${end}, step ${step}; the step must be a non-zero whole number.`);
    }
    const dim = input[axis]!;
    resolved[axis] = resolveAxis(dim, Math.trunc(start), Math.trunc(end), step);
  }
  return { axes: resolved, outShape: resolved.map((a) => a.length) };
}

function resolveAxis(dim: number, start: number, end: number, step: number): SliceAxis {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { start: s, step, length: e > s ? Math.ceil((e - s) / step) : 0 };
  }
  s = Math.min(Math.max(s, -1), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { start: s, step, length: s > e ? Math.ceil((s - e) / -step) : 0 };
}
