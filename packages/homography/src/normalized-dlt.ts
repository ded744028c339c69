import { type Homography, normalizeHomography } from './homography-math.js';
import { smallestEigenvector, solveLinear } from './linear-solve.js';

/** Point correspondences: `src[k]` (in image b) maps to `dst[k]` (in image a). */
export interface Correspondences {
  readonly count: number;
  readonly srcX: Float64Array;
  readonly srcY: Float64Array;
  readonly dstX: Float64Array;
  readonly dstY: Float64Array;
}

/** Similarity `(cx, cy, s)` that moves the chosen points' centroid to 0 and their mean radius to sqrt(2). */
interface Conditioner {
  cx: number;
  cy: number;
  s: number;
}

function conditioner(xs: Float64Array, ys: Float64Array, idx: ArrayLike<number>, n: number): Conditioner {
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < n; k++) {
    cx += xs[idx[k]!]!;
    cy += ys[idx[k]!]!;
  }
  cx /= n;
  cy /= n;
  let r = 0;
  for (let k = 0; k < n; k++) {
    // Math.sqrt, not Math.hypot: equal up to rounding here, and several times cheaper in V8.
    const dx = xs[idx[k]!]! - cx;
    const dy = ys[idx[k]!]! - cy;
    r += Math.sqrt(dx * dx + dy * dy);
  }
  r /= n;
  return { cx, cy, s: r > 1e-12 ? Math.SQRT2 / r : 1 };
}

// H = Td^-1 · Hn · Ts, written out so that no 3x3 temporaries are needed.
function denormalize(hn: ArrayLike<number>, ts: Conditioner, td: Conditioner): Homography | null {
  const t = new Float64Array(9);
  // Hn · Ts where Ts = [[s,0,-s cx],[0,s,-s cy],[0,0,1]].
  for (let r = 0; r < 3; r++) {
    const a = hn[r * 3]!,
      b = hn[r * 3 + 1]!,
      c = hn[r * 3 + 2]!;
    t[r * 3] = a * ts.s;
    t[r * 3 + 1] = b * ts.s;
    t[r * 3 + 2] = c - a * ts.s * ts.cx - b * ts.s * ts.cy;
  }
  // Td^-1 = [[1/s,0,cx],[0,1/s,cy],[0,0,1]].
  const inv = 1 / td.s;
  const out = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    out[c] = t[c]! * inv + td.cx * t[6 + c]!;
    out[3 + c] = t[3 + c]! * inv + td.cy * t[6 + c]!;
    out[6 + c] = t[6 + c]!;
  }
  for (let i = 0; i < 9; i++) if (!Number.isFinite(out[i]!)) return null;
  return normalizeHomography(out, out);
}

/**
 * Homography through exactly four correspondences (the RANSAC minimal sample), solved as an 8x8
 * linear system with `h22 = 1` in Hartley-normalized coordinates. Returns `null` for degenerate
 * samples.
 *
 * @example
 * ```ts
 * const h = homographyFrom4(pts, Int32Array.of(0, 1, 2, 3));
 * ```
 */
export function homographyFrom4(pts: Correspondences, sample: ArrayLike<number>): Homography | null {
  const ts = conditioner(pts.srcX, pts.srcY, sample, 4);
  const td = conditioner(pts.dstX, pts.dstY, sample, 4);
  const a = new Float64Array(64);
  const b = new Float64Array(8);
  for (let k = 0; k < 4; k++) {
    const i = sample[k]!;
    const x = (pts.srcX[i]! - ts.cx) * ts.s;
    const y = (pts.srcY[i]! - ts.cy) * ts.s;
    const u = (pts.dstX[i]! - td.cx) * td.s;
    const v = (pts.dstY[i]! - td.cy) * td.s;
    const r0 = 2 * k * 8;
    const r1 = r0 + 8;
    a[r0] = x;
    a[r0 + 1] = y;
    a[r0 + 2] = 1;
    a[r0 + 6] = -u * x;
    a[r0 + 7] = -u * y;
    a[r1 + 3] = x;
    a[r1 + 4] = y;
    a[r1 + 5] = 1;
    a[r1 + 6] = -v * x;
    a[r1 + 7] = -v * y;
    b[2 * k] = u;
    b[2 * k + 1] = v;
  }
  if (!solveLinear(a, b, 8, 1e-10)) return null;
  return denormalize(Float64Array.of(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, 1), ts, td);
}

/**
 * Least-squares homography through `n >= 4` correspondences by the normalized DLT: the smallest
 * eigenvector of `AᵀA` in Hartley-normalized coordinates (accumulated directly, so `A` is never
 * stored). `weights` (optional) scale each correspondence's equations.
 *
 * @example
 * ```ts
 * const h = homographyDlt(pts, inlierIndices, inlierIndices.length);
 * ```
 */
export function homographyDlt(pts: Correspondences, idx: ArrayLike<number>, n: number, weights?: Float64Array): Homography | null {
  if (n < 4) return null;
  const ts = conditioner(pts.srcX, pts.srcY, idx, n);
  const td = conditioner(pts.dstX, pts.dstY, idx, n);
  const ata = new Float64Array(81);
  const r1 = new Float64Array(9);
  const r2 = new Float64Array(9);
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    const w = weights ? weights[i]! : 1;
    const x = (pts.srcX[i]! - ts.cx) * ts.s;
    const y = (pts.srcY[i]! - ts.cy) * ts.s;
    const u = (pts.dstX[i]! - td.cx) * td.s;
    const v = (pts.dstY[i]! - td.cy) * td.s;
    r1[0] = x;
    r1[1] = y;
    r1[2] = 1;
    r1[3] = 0;
    r1[4] = 0;
    r1[5] = 0;
    r1[6] = -u * x;
    r1[7] = -u * y;
    r1[8] = -u;
    r2[0] = 0;
    r2[1] = 0;
    r2[2] = 0;
    r2[3] = x;
    r2[4] = y;
    r2[5] = 1;
    r2[6] = -v * x;
    r2[7] = -v * y;
    r2[8] = -v;
    for (let p = 0; p < 9; p++) {
      const a1 = w * r1[p]!;
      const a2 = w * r2[p]!;
      for (let q = p; q < 9; q++) ata[p * 9 + q] = ata[p * 9 + q]! + a1 * r1[q]! + a2 * r2[q]!;
    }
  }
  for (let p = 0; p < 9; p++) for (let q = 0; q < p; q++) ata[p * 9 + q] = ata[q * 9 + p]!;
  const h = smallestEigenvector(ata, 9);
  return denormalize(h, ts, td);
}
