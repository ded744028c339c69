/**
 * Axis-aligned rectangles in world coordinates (one layer's pixels), half-open:
 * rows `[y, y + height)`, columns `[x, x + width)`.
 *
 * Viewport moves are described as rectangle differences rather than pixel sets so that a backend can
 * launch one kernel per rectangle (at most four per move) instead of walking pixel lists.
 */

/** A half-open rectangle `[y, y + height) x [x, x + width)` in one layer's world pixels. */
export interface Rect {
  readonly y: number;
  readonly x: number;
  readonly height: number;
  readonly width: number;
}

/** A world position in one layer's pixels. */
export interface WorldPoint {
  readonly y: number;
  readonly x: number;
}

/** Number of pixels in `r` (0 for empty rectangles). */
export function rectArea(r: Rect): number {
  return r.height > 0 && r.width > 0 ? r.height * r.width : 0;
}

/** True when the world pixel `(y, x)` lies inside `r`. */
export function rectContains(r: Rect, y: number, x: number): boolean {
  return y >= r.y && y < r.y + r.height && x >= r.x && x < r.x + r.width;
}

/** The overlap of `a` and `b`, or `undefined` when they do not overlap. */
export function intersectRects(a: Rect, b: Rect): Rect | undefined {
  const y0 = Math.max(a.y, b.y);
  const x0 = Math.max(a.x, b.x);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  if (y1 <= y0 || x1 <= x0) return undefined;
  return { y: y0, x: x0, height: y1 - y0, width: x1 - x0 };
}

/**
 * `a` minus `b` as at most four disjoint rectangles: a full-width band above the overlap, one below
 * it, and the parts left and right of the overlap between those bands. Full-width bands come first
 * because they are contiguous runs of rows, the cheapest shape to reset or process.
 *
 * @example
 * ```ts
 * subtractRect({ y: 0, x: 0, height: 4, width: 4 }, { y: 1, x: 1, height: 4, width: 4 });
 * // [{ y: 0, x: 0, height: 1, width: 4 }, { y: 1, x: 0, height: 3, width: 1 }]
 * ```
 */
export function subtractRect(a: Rect, b: Rect): Rect[] {
  if (rectArea(a) === 0) return [];
  const overlap = intersectRects(a, b);
  if (overlap === undefined) return [{ y: a.y, x: a.x, height: a.height, width: a.width }];
  const out: Rect[] = [];
  const aBottom = a.y + a.height;
  const aRight = a.x + a.width;
  const oBottom = overlap.y + overlap.height;
  const oRight = overlap.x + overlap.width;
  if (overlap.y > a.y) out.push({ y: a.y, x: a.x, height: overlap.y - a.y, width: a.width });
  if (oBottom < aBottom) out.push({ y: oBottom, x: a.x, height: aBottom - oBottom, width: a.width });
  if (overlap.x > a.x) out.push({ y: overlap.y, x: a.x, height: overlap.height, width: overlap.x - a.x });
  if (oRight < aRight) out.push({ y: overlap.y, x: oRight, height: overlap.height, width: aRight - oRight });
  return out;
}
