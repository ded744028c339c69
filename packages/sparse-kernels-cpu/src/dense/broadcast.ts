import { broadcastShapes, broadcastStrides } from '@motiondelta/core';

export { broadcastShapes, broadcastStrides };

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
