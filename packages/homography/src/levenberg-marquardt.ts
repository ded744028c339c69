import { type Homography, normalizeHomography } from './homography-math.js';
import { solveLinear } from './linear-solve.js';
import type { Correspondences } from './normalized-dlt.js';

/** Options of {@link refineHomographyLm}. */
export interface LmOptions {
  readonly maxIterations?: number;
  /** Huber threshold in pixels: residuals above it count linearly, so a stray inlier pulls less. Default 1. */
  readonly huber?: number;
}

/**
 * Levenberg-Marquardt on the transfer error `Σ w_i ρ(|H src_i - dst_i|)` over the correspondences
 * listed in `idx`, with `h22` fixed to 1 (8 parameters) and Huber weights `ρ`. The per-point
 * weights `weights` (optional) let callers trust fine-scale keypoints more than coarse ones.
 * Works in centred, scaled coordinates so the normal equations stay well conditioned; returns the
 * refined homography (or the input when no step lowered the cost).
 *
 * @example
 * ```ts
 * const refined = refineHomographyLm(h, pts, inlierIdx, inlierIdx.length);
 * ```
 */
export function refineHomographyLm(
  h: Homography,
  pts: Correspondences,
  idx: ArrayLike<number>,
  n: number,
  weights?: Float64Array,
  options: LmOptions = {},
): Homography {
  const maxIterations = options.maxIterations ?? 15;
  const huber = options.huber ?? 1;
  if (n < 5) return h;
  // Conditioning: src' = (src - c) * s, dst' = (dst - c) * s with one similarity for both, so a
  // residual in conditioned units is the pixel residual times s (the cost keeps its minimizer).
  let cx = 0;
  let cy = 0;
  let r = 0;
  for (let k = 0; k < n; k++) {
    cx += pts.srcX[idx[k]!]!;
    cy += pts.srcY[idx[k]!]!;
  }
  cx /= n;
  cy /= n;
  for (let k = 0; k < n; k++) {
    const dx = pts.srcX[idx[k]!]! - cx;
    const dy = pts.srcY[idx[k]!]! - cy;
    r += Math.sqrt(dx * dx + dy * dy);
  }
  const s = r > 0 ? n / r : 1;
  // Hc = C H C^-1 with C = [[s,0,-s cx],[0,s,-s cy],[0,0,1]].
  const toC = (m: ArrayLike<number>): Homography => {
    const a = new Float64Array(9);
    const inv = 1 / s;
    // M · C^-1, C^-1 = [[1/s,0,cx],[0,1/s,cy],[0,0,1]]
    for (let row = 0; row < 3; row++) {
      const m0 = m[row * 3]!,
        m1 = m[row * 3 + 1]!,
        m2 = m[row * 3 + 2]!;
      a[row * 3] = m0 * inv;
      a[row * 3 + 1] = m1 * inv;
      a[row * 3 + 2] = m0 * cx + m1 * cy + m2;
    }
    const out = new Float64Array(9);
    for (let col = 0; col < 3; col++) {
      out[col] = s * (a[col]! - cx * a[6 + col]!);
      out[3 + col] = s * (a[3 + col]! - cy * a[6 + col]!);
      out[6 + col] = a[6 + col]!;
    }
    return normalizeHomography(out, out);
  };
  const fromC = (m: ArrayLike<number>): Homography => {
    // H = C^-1 Hc C
    const a = new Float64Array(9);
    for (let row = 0; row < 3; row++) {
      const m0 = m[row * 3]!,
        m1 = m[row * 3 + 1]!,
        m2 = m[row * 3 + 2]!;
      a[row * 3] = m0 * s;
      a[row * 3 + 1] = m1 * s;
      a[row * 3 + 2] = m2 - m0 * s * cx - m1 * s * cy;
    }
    const out = new Float64Array(9);
    const inv = 1 / s;
    for (let col = 0; col < 3; col++) {
      out[col] = a[col]! * inv + cx * a[6 + col]!;
      out[3 + col] = a[3 + col]! * inv + cy * a[6 + col]!;
      out[6 + col] = a[6 + col]!;
    }
    return normalizeHomography(out, out);
  };
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const us = new Float64Array(n);
  const vs = new Float64Array(n);
  const ws = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    xs[k] = (pts.srcX[i]! - cx) * s;
    ys[k] = (pts.srcY[i]! - cy) * s;
    us[k] = (pts.dstX[i]! - cx) * s;
    vs[k] = (pts.dstY[i]! - cy) * s;
    ws[k] = weights ? weights[i]! : 1;
  }
  const hub = huber * s;
  const cost = (p: ArrayLike<number>): number => {
    let c = 0;
    for (let k = 0; k < n; k++) {
      const x = xs[k]!,
        y = ys[k]!;
      const w = p[6]! * x + p[7]! * y + 1;
      if (!(Math.abs(w) > 1e-12)) return Infinity;
      const du = (p[0]! * x + p[1]! * y + p[2]!) / w - us[k]!;
      const dv = (p[3]! * x + p[4]! * y + p[5]!) / w - vs[k]!;
      // Math.sqrt, not Math.hypot: hypot guards against overflow that pixel residuals never
      // reach, and costs several times more in V8 (this loop runs per point per LM attempt).
      const e = Math.sqrt(du * du + dv * dv);
      c += ws[k]! * (e <= hub ? 0.5 * e * e : hub * (e - 0.5 * hub));
    }
    return c;
  };
  let p = toC(h);
  let current = cost(p);
  if (!Number.isFinite(current)) return h;
  let lambda = 1e-3;
  const jtj = new Float64Array(64);
  const jtr = new Float64Array(8);
  const a = new Float64Array(64);
  const delta = new Float64Array(8);
  // Non-zero Jacobian entries of the u and v residuals: parameters 0-2 (or 3-5), then 6-7.
  const jr = new Float64Array(5);
  const jc = new Float64Array(5);
  for (let it = 0; it < maxIterations; it++) {
    jtj.fill(0);
    jtr.fill(0);
    for (let k = 0; k < n; k++) {
      const x = xs[k]!,
        y = ys[k]!;
      const iw = 1 / (p[6]! * x + p[7]! * y + 1);
      const u = (p[0]! * x + p[1]! * y + p[2]!) * iw;
      const v = (p[3]! * x + p[4]! * y + p[5]!) * iw;
      const ru = u - us[k]!;
      const rv = v - vs[k]!;
      const e = Math.sqrt(ru * ru + rv * rv);
      // IRLS weight of the Huber loss.
      const wk = ws[k]! * (e <= hub ? 1 : hub / e);
      // The two Jacobian rows are [x y 1 0 0 0 -ux -uy]·iw and [0 0 0 x y 1 -vx -vy]·iw: the
      // zero blocks are skipped (adding an exact zero changes no sum), which halves this loop.
      const g0 = x * iw,
        g1 = y * iw;
      // Same operation order as the dense rows had, so every product rounds the same.
      const gu6 = -u * x * iw,
        gu7 = -u * y * iw,
        gv6 = -v * x * iw,
        gv7 = -v * y * iw;
      jr[0] = g0;
      jr[1] = g1;
      jr[2] = iw;
      jr[3] = gu6;
      jr[4] = gu7;
      jc[0] = g0;
      jc[1] = g1;
      jc[2] = iw;
      jc[3] = gv6;
      jc[4] = gv7;
      // Upper-left 3x3 block (rows 0-2 against 0-2 and 6-7) from the u residual only.
      for (let q = 0; q < 3; q++) {
        const a1 = wk * jr[q]!;
        jtr[q] = jtr[q]! + a1 * ru;
        for (let m = q; m < 3; m++) jtj[q * 8 + m] = jtj[q * 8 + m]! + a1 * jr[m]!;
        jtj[q * 8 + 6] = jtj[q * 8 + 6]! + a1 * gu6;
        jtj[q * 8 + 7] = jtj[q * 8 + 7]! + a1 * gu7;
      }
      // Rows 3-5 against 3-5 and 6-7 from the v residual only.
      for (let q = 0; q < 3; q++) {
        const a2 = wk * jc[q]!;
        jtr[q + 3] = jtr[q + 3]! + a2 * rv;
        for (let m = q; m < 3; m++) jtj[(q + 3) * 8 + m + 3] = jtj[(q + 3) * 8 + m + 3]! + a2 * jc[m]!;
        jtj[(q + 3) * 8 + 6] = jtj[(q + 3) * 8 + 6]! + a2 * gv6;
        jtj[(q + 3) * 8 + 7] = jtj[(q + 3) * 8 + 7]! + a2 * gv7;
      }
      // Rows 6-7 against 6-7 from both.
      for (let q = 3; q < 5; q++) {
        const a1 = wk * jr[q]!;
        const a2 = wk * jc[q]!;
        const row = (q + 3) * 8;
        jtr[q + 3] = jtr[q + 3]! + a1 * ru + a2 * rv;
        for (let m = q; m < 5; m++) jtj[row + m + 3] = jtj[row + m + 3]! + a1 * jr[m]! + a2 * jc[m]!;
      }
    }
    let improved = false;
    for (let attempt = 0; attempt < 8 && !improved; attempt++) {
      for (let q = 0; q < 8; q++) {
        for (let m = 0; m < 8; m++) a[q * 8 + m] = q <= m ? jtj[q * 8 + m]! : jtj[m * 8 + q]!;
        a[q * 8 + q] = a[q * 8 + q]! * (1 + lambda) + 1e-12;
        delta[q] = -jtr[q]!;
      }
      if (!solveLinear(a, delta, 8, 1e-15)) {
        lambda *= 10;
        continue;
      }
      const cand = Float64Array.of(
        p[0]! + delta[0]!,
        p[1]! + delta[1]!,
        p[2]! + delta[2]!,
        p[3]! + delta[3]!,
        p[4]! + delta[4]!,
        p[5]! + delta[5]!,
        p[6]! + delta[6]!,
        p[7]! + delta[7]!,
        1,
      );
      const c = cost(cand);
      if (c < current) {
        const gain = (current - c) / Math.max(current, 1e-300);
        p = cand;
        current = c;
        lambda = Math.max(1e-9, lambda / 10);
        improved = true;
        if (gain < 1e-10) return fromC(p);
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  return fromC(p);
}
