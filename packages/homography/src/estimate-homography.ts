import { createRng, type Rng } from '@motiondelta/core';
import { homographyIsPlausible } from './degeneracy.js';
import { AlignmentError } from './errors.js';
import { extractFeatures, type FeatureOptions, type FrameFeatures } from './features.js';
import { composeHomographies, type Homography, normalizeHomography } from './homography-math.js';
import type { ImageInput } from './image.js';
import { refineInverseCompositional } from './inverse-compositional.js';
import { refineHomographyLm } from './levenberg-marquardt.js';
import { levelWindow } from './level-window.js';
import { matchDescriptors, type MatchOptions } from './match-hamming.js';
import type { Correspondences } from './normalized-dlt.js';
import { msacHomography, transferErrors } from './ransac.js';

/** Why an ordinary pair of frames could not be aligned. */
export type AlignmentFailure = 'flat-frame' | 'too-few-features' | 'too-few-matches' | 'too-few-inliers' | 'degenerate';

/** Options of {@link estimateHomography}; every field has a default tuned for 640x480 video. */
export interface EstimateOptions extends FeatureOptions, MatchOptions {
  /** MSAC inlier threshold in pixels. Default 3. */
  readonly ransacThreshold?: number;
  /** MSAC confidence for adaptive termination. Default 0.999. */
  readonly confidence?: number;
  /** Cap on MSAC hypotheses. Default 2000. */
  readonly maxIterations?: number;
  /** Random source for MSAC; overrides `seed`. */
  readonly rng?: Rng;
  /** Seed of the default random source. Default 1. */
  readonly seed?: number;
  /** Fewest inliers accepted. Default 12. */
  readonly minInliers?: number;
  /** `'intensity'` (default) adds inverse-compositional refinement on pixels after LM. */
  readonly refine?: 'none' | 'intensity';
  /**
   * Match only keypoints at most this many pyramid levels apart. Default 1 (consecutive frames
   * change scale by far less than a level); `Infinity` compares every pair.
   */
  readonly maxLevelGap?: number;
}

/** Counts and timings of one estimate, for profiling and reports. */
export interface AlignmentStats {
  readonly featuresA: number;
  readonly featuresB: number;
  readonly matches: number;
  readonly iterations: number;
  /** True when intensity refinement ran and was kept. */
  readonly directRefined: boolean;
  /** Milliseconds per stage. */
  readonly timings: { readonly features: number; readonly matching: number; readonly ransac: number; readonly refine: number };
}

/** A successful alignment. */
export interface AlignmentSuccess {
  readonly ok: true;
  /** Row-major 3x3, maps pixels of b to pixels of a (`h22 = 1`). */
  readonly H: Homography;
  /** Correspondences within the MSAC threshold of `H`. */
  readonly inliers: number;
  /** RMS transfer error of the inliers, in pixels of a. */
  readonly rms: number;
  readonly reason: null;
  readonly stats: AlignmentStats;
}

/** A pair that could not be aligned; nothing here is NaN. */
export interface AlignmentFailureResult {
  readonly ok: false;
  readonly H: null;
  readonly inliers: number;
  readonly rms: null;
  readonly reason: AlignmentFailure;
  /** Human-readable detail, e.g. the counts that were too low. */
  readonly detail: string;
  readonly stats: AlignmentStats;
}

export type AlignmentResult = AlignmentSuccess | AlignmentFailureResult;

const now = (): number => performance.now();

/** Pixel size (level-0 pixels) of the finest pyramid level that gave a keypoint. */
function finestScale(f: FrameFeatures): number {
  let s = Infinity;
  for (let k = 0; k < f.count; k++) s = Math.min(s, f.scale[k]!);
  return Number.isFinite(s) ? s : 1;
}

/** Maps level-0 pixels to pixels of a grid `s` times coarser (pixel centres aligned). */
function gridFromLevel0(s: number): Homography {
  const o = (1 / s - 1) / 2;
  return Float64Array.of(1 / s, 0, o, 0, 1 / s, o, 0, 0, 1);
}

/** Inverse of {@link gridFromLevel0}. */
function level0FromGrid(s: number): Homography {
  const o = (s - 1) / 2;
  return Float64Array.of(s, 0, o, 0, s, o, 0, 0, 1);
}

/**
 * Estimates the homography `H` that maps pixels of frame `b` to pixels of frame `a`
 * (`[x_a, y_a, 1]ᵀ ~ H [x_b, y_b, 1]ᵀ`); warp `b` with it to overlay `a`. Pipeline: ORB-like
 * features on both frames, Hamming matching with ratio test and cross-check, MSAC on normalized
 * DLT, Levenberg-Marquardt on the inliers, then optional inverse-compositional refinement on
 * intensities. Frames that cannot be aligned (flat, too few features, degenerate geometry) give
 * `ok: false` with a reason; only malformed arguments throw {@link AlignmentError}.
 *
 * @example
 * ```ts
 * const r = estimateHomography({ ...frameA, channels: 3 }, { ...frameB, channels: 3 }, { seed: 7 });
 * if (r.ok) console.log(r.H, r.inliers, r.rms); else console.log(r.reason);
 * ```
 */
export function estimateHomography(a: ImageInput, b: ImageInput, options: EstimateOptions = {}): AlignmentResult {
  const t0 = now();
  const fa = extractFeatures(a, options);
  const fb = extractFeatures(b, options);
  return estimateHomographyFromFeatures(fa, fb, options, now() - t0);
}

/**
 * The matching and estimation half of {@link estimateHomography}, for callers that keep each
 * frame's features (in a video every frame is matched twice, so extracting once halves the work).
 *
 * @example
 * ```ts
 * let prev = extractFeatures(frame0);
 * const next = extractFeatures(frame1);
 * const r = estimateHomographyFromFeatures(prev, next); // maps frame1 pixels to frame0 pixels
 * prev = next;
 * ```
 */
export function estimateHomographyFromFeatures(
  fa: FrameFeatures,
  fb: FrameFeatures,
  options: EstimateOptions = {},
  featureMs = 0,
): AlignmentResult {
  const threshold = options.ransacThreshold ?? 3;
  const minInliers = options.minInliers ?? 12;
  const refine = options.refine ?? 'intensity';
  if (!(threshold > 0)) throw new AlignmentError(`ransacThreshold is ${threshold}; use a positive number of pixels.`);
  if (!Number.isInteger(minInliers) || minInliers < 4) throw new AlignmentError(`minInliers is ${minInliers}; use an integer >= 4.`);
  const maxLevelGap = options.maxLevelGap ?? 1;
  if (!(maxLevelGap >= 0)) throw new AlignmentError(`maxLevelGap is ${maxLevelGap}; use a number >= 0 (Infinity compares every pair).`);
  if (refine !== 'none' && refine !== 'intensity') throw new AlignmentError(`refine is '${String(refine)}'; use 'none' or 'intensity'.`);
  const rng = options.rng ?? createRng(options.seed ?? 1);

  const timings = { features: featureMs, matching: 0, ransac: 0, refine: 0 };
  const stats = (matches: number, iterations: number, directRefined: boolean): AlignmentStats => ({
    featuresA: fa.count,
    featuresB: fb.count,
    matches,
    iterations,
    directRefined,
    timings,
  });
  const fail = (
    reason: AlignmentFailure,
    detail: string,
    inliers: number,
    matches: number,
    iterations: number,
  ): AlignmentFailureResult => ({
    ok: false,
    H: null,
    inliers,
    rms: null,
    reason,
    detail,
    stats: stats(matches, iterations, false),
  });

  // A flat frame yields a handful of noise corners that can still "match"; refuse it up front.
  if (fa.contrast < 2 || fb.contrast < 2)
    return fail('flat-frame', `luma std dev ${fa.contrast.toFixed(2)} / ${fb.contrast.toFixed(2)}`, 0, 0, 0);
  if (fa.count < minInliers || fb.count < minInliers) return fail('too-few-features', `${fa.count} and ${fb.count} keypoints`, 0, 0, 0);

  let t = now();
  const window = levelWindow(fa, fb, maxLevelGap, options.scaleFactor ?? Math.SQRT2);
  const m = matchDescriptors(fa.descriptors, fa.count, fb.descriptors, fb.count, options, window);
  timings.matching = now() - t;
  if (m.count < minInliers) return fail('too-few-matches', `${m.count} matches`, 0, m.count, 0);

  const pts: Correspondences = {
    count: m.count,
    srcX: new Float64Array(m.count),
    srcY: new Float64Array(m.count),
    dstX: new Float64Array(m.count),
    dstY: new Float64Array(m.count),
  };
  // Coarse-level keypoints are quantized on a coarser grid: trust them less.
  const weights = new Float64Array(m.count);
  for (let k = 0; k < m.count; k++) {
    const ia = m.a[k]!;
    const ib = m.b[k]!;
    pts.srcX[k] = fb.x[ib]!;
    pts.srcY[k] = fb.y[ib]!;
    pts.dstX[k] = fa.x[ia]!;
    pts.dstY[k] = fa.y[ia]!;
    weights[k] = 1 / (fa.scale[ia]! * fb.scale[ib]!);
  }

  t = now();
  const msacOptions = {
    threshold,
    rng,
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
  };
  const ransac = msacHomography(pts, msacOptions);
  if (!ransac.H || ransac.inlierCount < minInliers) {
    timings.ransac = now() - t;
    return fail('too-few-inliers', `${ransac.inlierCount} inliers of ${m.count} matches`, ransac.inlierCount, m.count, ransac.iterations);
  }
  const err = new Float64Array(m.count);
  const idx = new Int32Array(m.count);
  const t2 = threshold * threshold;
  let h = ransac.H;
  let count = 0;
  const collect = (hh: Homography): number => {
    transferErrors(hh, pts, err);
    let c = 0;
    for (let i = 0; i < m.count; i++) if (err[i]! < t2) idx[c++] = i;
    return c;
  };
  for (let round = 0; round < 2; round++) {
    count = collect(h);
    if (count < minInliers) break;
    h = refineHomographyLm(h, pts, idx, count, weights);
  }
  count = collect(h);
  timings.ransac = now() - t;
  if (count < minInliers) return fail('too-few-inliers', `${count} inliers after refinement`, count, m.count, ransac.iterations);

  // Inliers bunched in one spot fix the homography only there.
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  // The same box on frame a's side bounds the intensity refinement below.
  let aMinX = Infinity,
    aMinY = Infinity,
    aMaxX = -Infinity,
    aMaxY = -Infinity;
  for (let k = 0; k < count; k++) {
    const i = idx[k]!;
    minX = Math.min(minX, pts.srcX[i]!);
    maxX = Math.max(maxX, pts.srcX[i]!);
    minY = Math.min(minY, pts.srcY[i]!);
    maxY = Math.max(maxY, pts.srcY[i]!);
    aMinX = Math.min(aMinX, pts.dstX[i]!);
    aMaxX = Math.max(aMaxX, pts.dstX[i]!);
    aMinY = Math.min(aMinY, pts.dstY[i]!);
    aMaxY = Math.max(aMaxY, pts.dstY[i]!);
  }
  const spread = ((maxX - minX) * (maxY - minY)) / (fb.width * fb.height);
  if (!(spread >= 0.02))
    return fail('degenerate', `inliers cover ${(spread * 100).toFixed(1)}% of frame b`, count, m.count, ransac.iterations);
  const implausible = homographyIsPlausible(h, fb.width, fb.height);
  if (implausible) return fail('degenerate', implausible, count, m.count, ransac.iterations);

  let directRefined = false;
  if (refine === 'intensity') {
    t = now();
    // The feature estimate is only as precise as its finest keypoints: large frames detect from
    // half resolution, so the refinement may move it by a few pixels of that level, not of level
    // 0. Five, not three: on blurred pairs corners shift between the sharp and the blurred frame,
    // and one of the 500 acceptance cases needed 3.5 (its refinement then lands at 0.14 px); the
    // cube clip's result is the same for any bound from 3 to 6.
    // Refinement runs on the grids of the smoothed images (half resolution on large frames), so
    // H is carried onto them and back.
    const sa = fa.smoothedScale;
    const sb = fb.smoothedScale;
    const maxShift = (5 * Math.max(1, finestScale(fa), finestScale(fb))) / Math.max(sa, sb);
    const onGrid = composeHomographies(gridFromLevel0(sa), composeHomographies(h, level0FromGrid(sb)));
    // The bound applies at the corners of the inliers' box in a, not at the frame corners: the
    // feature estimate is pinned only where its inliers are. Far outside them (a pan of 100 px
    // or more leaves fewer matches, bunched in the overlap) it is extrapolated and can be more
    // than 10 px off at the frame corners while the refinement, which samples the whole overlap,
    // lands within 0.1 px; bounded at the frame corners those refinements were thrown away.
    const ga = gridFromLevel0(sa);
    const guardBox = [ga[0]! * aMinX + ga[2]!, ga[4]! * aMinY + ga[5]!, ga[0]! * aMaxX + ga[2]!, ga[4]! * aMaxY + ga[5]!] as const;
    const direct = refineInverseCompositional(fa.smoothed, fb.smoothed, onGrid, { maxShift, guardBox });
    if (direct.accepted) {
      const refined = normalizeHomography(composeHomographies(level0FromGrid(sa), composeHomographies(direct.H, gridFromLevel0(sb))));
      if (homographyIsPlausible(refined, fb.width, fb.height) === null) {
        h = refined;
        directRefined = true;
      }
    }
    timings.refine = now() - t;
  }

  transferErrors(h, pts, err);
  let sum = 0;
  let inliers = 0;
  for (let i = 0; i < m.count; i++) {
    if (err[i]! < t2) {
      sum += err[i]!;
      inliers++;
    }
  }
  if (inliers < minInliers)
    return fail('too-few-inliers', `${inliers} inliers after intensity refinement`, inliers, m.count, ransac.iterations);
  return {
    ok: true,
    H: h,
    inliers,
    rms: Math.sqrt(sum / inliers),
    reason: null,
    stats: stats(m.count, ransac.iterations, directRefined),
  };
}
