import type { TileSpan } from './steps.js';

/** A rectangle of output pixels: rows `[y0, y1)`, columns `[x0, x1)`. */
export interface TileRect {
  readonly y0: number;
  readonly y1: number;
  readonly x0: number;
  readonly x1: number;
}

/**
 * The region a `tiles` step updates, as few disjoint rectangles: the union over executed blocks
 * (`blocks[r * cols + c] !== 0`) of `rowSpans[r] x colSpans[c]`. Spans of neighbouring blocks may
 * overlap by a row or column (block edges that fall inside an output pixel are rounded outwards),
 * so rows are first cut into bands within which the same block rows apply; each band's executed
 * columns are merged into runs, and bands with the same runs that touch are merged again. Every
 * backend that runs `tiles` steps updates exactly these pixels; each pixel is in one rectangle.
 *
 * @example
 * ```ts
 * import { tileRects } from '@motiondelta/core';
 * // A 2x2 grid of 4x4-pixel blocks, the top row executed: one rectangle.
 * tileRects([[0, 4], [4, 8]], [[0, 4], [4, 8]], new Uint8Array([1, 1, 0, 0])); // [{ y0: 0, y1: 4, x0: 0, x1: 8 }]
 * ```
 */
export function tileRects(rowSpans: readonly TileSpan[], colSpans: readonly TileSpan[], blocks: ArrayLike<number>): TileRect[] {
  const cols = colSpans.length;
  const cuts = [...new Set(rowSpans.flatMap(([a, b]) => [a, b]))].sort((a, b) => a - b);
  const rects: TileRect[] = [];
  // Runs of the band above, still open for extension downwards.
  let open: { y0: number; y1: number; runs: [number, number][] } | undefined;
  const flush = (): void => {
    if (open) for (const [x0, x1] of open.runs) rects.push({ y0: open.y0, y1: open.y1, x0, x1 });
    open = undefined;
  };
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [b0, b1] = [cuts[i]!, cuts[i + 1]!];
    const spans: [number, number][] = [];
    rowSpans.forEach(([a, b], r) => {
      if (a > b0 || b < b1) return;
      for (let c = 0; c < cols; c++) if (blocks[r * cols + c] !== 0) spans.push([colSpans[c]![0], colSpans[c]![1]]);
    });
    const runs = mergeSpans(spans);
    if (open && open.y1 === b0 && sameRuns(open.runs, runs)) {
      open.y1 = b1;
      continue;
    }
    flush();
    if (runs.length > 0) open = { y0: b0, y1: b1, runs };
  }
  flush();
  return rects;
}

/** Overlapping or touching spans merged, in order; empty spans dropped. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const sorted = spans.filter(([a, b]) => b > a).sort((p, q) => p[0] - q[0]);
  const runs: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = runs[runs.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else runs.push([a, b]);
  }
  return runs;
}

function sameRuns(a: readonly [number, number][], b: readonly [number, number][]): boolean {
  return a.length === b.length && a.every(([x0, x1], i) => x0 === b[i]![0] && x1 === b[i]![1]);
}
