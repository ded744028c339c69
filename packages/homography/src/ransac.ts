import { createRng, type Rng } from '@motiondelta/core';
import { sampleIsUsable } from './degeneracy.js';
import type { Homography } from './homography-math.js';
import { type Correspondences, homographyDlt, homographyFrom4 } from './normalized-dlt.js';

/** Options of {@link msacHomography}. */
export interface MsacOptions {
  /** Inlier threshold on the transfer error, in pixels of image a. Default 3. */
  readonly threshold?: number;
  /** Probability of having drawn at least one all-inlier sample before stopping. Default 0.999. */
  readonly confidence?: number;
  /** Hard cap on hypotheses. Default 2000. */
  readonly maxIterations?: number;
  /** Random source for the samples; default a generator seeded with 1. */
  readonly rng?: Rng;
}

/** Result of {@link msacHomography}. */
export interface MsacResult {
  /** Best model, re-fitted on its inliers; null when no usable hypothesis was found. */
  readonly H: Homography | null;
  /** 1 for inliers of `H`, else 0, one entry per correspondence. */
  readonly inlierMask: Uint8Array;
  readonly inlierCount: number;
  readonly iterations: number;
}

/**
 * Squared transfer errors `|H src - dst|²` of every correspondence into `out`; points mapped to
 * infinity get `Infinity`.
 *
 * @example
 * ```ts
 * transferErrors(h, pts, new Float64Array(pts.count));
 * ```
 */
export function transferErrors(h: ArrayLike<number>, pts: Correspondences, out: Float64Array): Float64Array {
  const h0 = h[0]!,
    h1 = h[1]!,
    h2 = h[2]!,
    h3 = h[3]!,
    h4 = h[4]!,
    h5 = h[5]!,
    h6 = h[6]!,
    h7 = h[7]!,
    h8 = h[8]!;
  for (let i = 0; i < pts.count; i++) {
    const x = pts.srcX[i]!;
    const y = pts.srcY[i]!;
    const w = h6 * x + h7 * y + h8;
    if (!(Math.abs(w) > 1e-12)) {
      out[i] = Infinity;
      continue;
    }
    const du = (h0 * x + h1 * y + h2) / w - pts.dstX[i]!;
    const dv = (h3 * x + h4 * y + h5) / w - pts.dstY[i]!;
    out[i] = du * du + dv * dv;
  }
  return out;
}

/**
 * MSAC: RANSAC that scores a hypothesis by the sum of truncated squared errors instead of an
 * inlier count, which ranks equally-sized consensus sets by how well they fit. Samples are
 * screened for degeneracy before solving; the number of hypotheses adapts to the best inlier
 * ratio seen so far; the winner is re-fitted by normalized DLT on its inliers twice (a light
 * local optimization).
 *
 * @example
 * ```ts
 * const { H, inlierCount } = msacHomography(pts, { threshold: 3, rng: createRng(7) });
 * ```
 */
export function msacHomography(pts: Correspondences, options: MsacOptions = {}): MsacResult {
  const threshold = options.threshold ?? 3;
  const confidence = options.confidence ?? 0.999;
  const maxIterations = options.maxIterations ?? 2000;
  const rng = options.rng ?? createRng(1);
  const n = pts.count;
  const t2 = threshold * threshold;
  const err = new Float64Array(n);
  const empty: MsacResult = { H: null, inlierMask: new Uint8Array(n), inlierCount: 0, iterations: 0 };
  if (n < 4) return empty;

  let bestH: Homography | null = null;
  let bestCost = Infinity;
  let bestInliers = 0;
  let needed = maxIterations;
  const sample = new Int32Array(4);
  let it = 0;
  // Bounded number of draws so that a set of all-degenerate samples cannot loop forever.
  let draws = 0;
  const logFail = Math.log(1 - confidence);
  while (it < needed && draws < maxIterations * 4) {
    draws++;
    for (let k = 0; k < 4; k++) {
      let v: number;
      do {
        v = Math.floor(rng.next() * n);
      } while ((k > 0 && v === sample[0]) || (k > 1 && v === sample[1]) || (k > 2 && v === sample[2]));
      sample[k] = v;
    }
    if (!sampleIsUsable(pts, sample, 1)) continue;
    it++;
    const h = homographyFrom4(pts, sample);
    if (!h) continue;
    transferErrors(h, pts, err);
    let cost = 0;
    let inl = 0;
    for (let i = 0; i < n; i++) {
      const e = err[i]!;
      if (e < t2) {
        cost += e;
        inl++;
      } else cost += t2;
    }
    if (cost < bestCost) {
      bestCost = cost;
      bestH = h;
      if (inl > bestInliers) {
        bestInliers = inl;
        const w = inl / n;
        const p4 = w * w * w * w;
        needed = p4 >= 1 ? 0 : Math.min(maxIterations, Math.ceil(logFail / Math.log(1 - p4)));
      }
    }
  }
  if (!bestH) return { ...empty, iterations: it };

  const mask = new Uint8Array(n);
  const idx = new Int32Array(n);
  let h: Homography = bestH;
  let count = 0;
  for (let round = 0; round < 3; round++) {
    transferErrors(h, pts, err);
    count = 0;
    for (let i = 0; i < n; i++) {
      mask[i] = err[i]! < t2 ? 1 : 0;
      if (mask[i]) idx[count++] = i;
    }
    if (round === 2 || count < 8) break;
    const refit = homographyDlt(pts, idx, count);
    if (!refit) break;
    h = refit;
  }
  return { H: h, inlierMask: mask, inlierCount: count, iterations: it };
}
