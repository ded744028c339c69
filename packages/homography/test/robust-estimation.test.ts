import { createRng, uniform } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import {
  applyHomography,
  cornerError,
  homographyDlt,
  homographyFrom4,
  msacHomography,
  refineHomographyLm,
  sampleIsUsable,
  type Correspondences,
} from '../src/index.js';

const TRUE_H = Float64Array.of(0.97, 0.08, 15, -0.06, 1.03, -9, 8e-5, -6e-5, 1);

function makePoints(n: number, outlierFraction: number, noise: number, seed: number): Correspondences & { outlier: Uint8Array } {
  const rng = createRng(seed);
  const pts = {
    count: n,
    srcX: new Float64Array(n),
    srcY: new Float64Array(n),
    dstX: new Float64Array(n),
    dstY: new Float64Array(n),
    outlier: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const x = uniform(rng, 0, 640);
    const y = uniform(rng, 0, 480);
    pts.srcX[i] = x;
    pts.srcY[i] = y;
    if (rng.next() < outlierFraction) {
      pts.dstX[i] = uniform(rng, 0, 640);
      pts.dstY[i] = uniform(rng, 0, 480);
      pts.outlier[i] = 1;
    } else {
      const [u, v] = applyHomography(TRUE_H, x, y);
      pts.dstX[i] = u + uniform(rng, -noise, noise);
      pts.dstY[i] = v + uniform(rng, -noise, noise);
    }
  }
  return pts;
}

describe('normalized DLT', () => {
  it('recovers the exact homography from 4 and from many noise-free points', () => {
    const pts = makePoints(50, 0, 0, 1);
    const h4 = homographyFrom4(pts, [0, 1, 2, 3])!;
    expect(cornerError(h4, TRUE_H, 640, 480)).toBeLessThan(1e-6);
    const idx = Int32Array.from({ length: 50 }, (_, i) => i);
    expect(cornerError(homographyDlt(pts, idx, 50)!, TRUE_H, 640, 480)).toBeLessThan(1e-6);
  });

  it('rejects collinear and orientation-flipping samples', () => {
    const line = {
      count: 4,
      srcX: Float64Array.of(0, 1, 2, 5),
      srcY: Float64Array.of(0, 1, 2, 9),
      dstX: Float64Array.of(0, 1, 2, 5),
      dstY: Float64Array.of(0, 1, 2, 9),
    };
    expect(sampleIsUsable(line, [0, 1, 2, 3], 1)).toBe(false);
    const square = Float64Array.of(0, 100, 100, 0);
    const square2 = Float64Array.of(0, 0, 100, 100);
    const mirrored = { count: 4, srcX: square, srcY: square2, dstX: Float64Array.of(100, 0, 0, 100), dstY: square2 };
    expect(sampleIsUsable(mirrored, [0, 1, 2, 3], 1)).toBe(false);
    const fine = { count: 4, srcX: square, srcY: square2, dstX: square, dstY: square2 };
    expect(sampleIsUsable(fine, [0, 1, 2, 3], 1)).toBe(true);
  });
});

describe('MSAC + Levenberg-Marquardt', () => {
  it('finds the model under 50% outliers and flags the outliers', () => {
    const pts = makePoints(300, 0.5, 0.5, 2);
    const r = msacHomography(pts, { threshold: 3, rng: createRng(3) });
    expect(r.H).not.toBeNull();
    expect(cornerError(r.H!, TRUE_H, 640, 480)).toBeLessThan(0.5);
    let wrong = 0;
    for (let i = 0; i < pts.count; i++) if (r.inlierMask[i] === 1 && pts.outlier[i] === 1) wrong++;
    // A random outlier lands within 3 px of the model about 0.01% of the time per point.
    expect(wrong).toBeLessThanOrEqual(2);
  });

  it('stops early when the inlier ratio is high (adaptive termination)', () => {
    const r = msacHomography(makePoints(200, 0.1, 0.3, 4), { rng: createRng(1) });
    expect(r.iterations).toBeLessThan(30);
  });

  it('is deterministic for a given seed', () => {
    const pts = makePoints(200, 0.4, 1, 5);
    const a = msacHomography(pts, { rng: createRng(9) });
    const b = msacHomography(pts, { rng: createRng(9) });
    expect(Array.from(a.H!)).toEqual(Array.from(b.H!));
  });

  it('LM lowers the error of a perturbed estimate on the inliers', () => {
    const pts = makePoints(200, 0, 0.5, 6);
    const idx = Int32Array.from({ length: 200 }, (_, i) => i);
    const start = Float64Array.from(TRUE_H);
    start[2] = start[2]! + 2;
    start[6] = start[6]! + 2e-5;
    const refined = refineHomographyLm(start, pts, idx, 200);
    expect(cornerError(start, TRUE_H, 640, 480)).toBeGreaterThan(2);
    expect(cornerError(refined, TRUE_H, 640, 480)).toBeLessThan(0.15);
  });

  it('returns no model (not NaN) when there are fewer than 4 points', () => {
    const r = msacHomography(makePoints(3, 0, 0, 7));
    expect(r.H).toBeNull();
    expect(r.inlierCount).toBe(0);
  });
});
