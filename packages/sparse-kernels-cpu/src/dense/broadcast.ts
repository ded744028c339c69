import { ShapeError, formatShape } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';

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

/** Row-major strides of `shape` seen at rank `outShape.length`, 0 on broadcast axes. */
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

/**
 * Merges neighbouring axes that both operands walk contiguously (or both broadcast), and drops
 * size-1 axes, so the native loop sees long rows: [1,320,320,1] + [1,1,1,1] becomes one row of
 * 102400 values instead of 102400 rows of one. With `keepLastAxis` the last axis stays a row of its
 * own (a per-channel activation needs rows that are exactly the channels).
 */
export function coalesceAxes(
  shape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
  keepLastAxis: boolean,
): { shape: number[]; a: number[]; b: number[] } {
  const last = shape.length - 1;
  const axes: { size: number; a: number; b: number }[] = [];
  shape.forEach((size, i) => {
    if (size !== 1 || (keepLastAxis && i === last)) axes.push({ size, a: aStrides[i]!, b: bStrides[i]! });
  });
  if (axes.length === 0) return { shape: [1], a: [0], b: [0] };
  const merged = [axes[0]!];
  for (let i = 1; i < axes.length; i++) {
    const inner = axes[i]!;
    const outer = merged[merged.length - 1]!;
    const isLast = keepLastAxis && i === axes.length - 1;
    if (!isLast && outer.a === inner.a * inner.size && outer.b === inner.b * inner.size) {
      merged[merged.length - 1] = { size: outer.size * inner.size, a: inner.a, b: inner.b };
    } else {
      merged.push(inner);
    }
  }
  return { shape: merged.map((x) => x.size), a: merged.map((x) => x.a), b: merged.map((x) => x.b) };
}
