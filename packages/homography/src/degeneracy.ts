import type { Correspondences } from './normalized-dlt.js';

function cross(xs: Float64Array, ys: Float64Array, i: number, j: number, k: number): number {
  return (xs[j]! - xs[i]!) * (ys[k]! - ys[i]!) - (ys[j]! - ys[i]!) * (xs[k]! - xs[i]!);
}

/**
 * Rejects a 4-point sample before solving: when any three points are (nearly) collinear in
 * either image the homography is undetermined, and when a triangle flips orientation between the
 * images no homography that keeps the points in front of the camera can map them. Cheap, and it
 * saves most of the wasted RANSAC hypotheses on real data.
 *
 * @example
 * ```ts
 * if (!sampleIsUsable(pts, sample, 1)) continue;
 * ```
 */
export function sampleIsUsable(pts: Correspondences, s: ArrayLike<number>, minArea: number): boolean {
  const i0 = s[0]!,
    i1 = s[1]!,
    i2 = s[2]!,
    i3 = s[3]!;
  const triples = [i0, i1, i2, i0, i1, i3, i0, i2, i3, i1, i2, i3];
  for (let t = 0; t < 12; t += 3) {
    const a = triples[t]!,
      b = triples[t + 1]!,
      c = triples[t + 2]!;
    const cs = cross(pts.srcX, pts.srcY, a, b, c);
    const cd = cross(pts.dstX, pts.dstY, a, b, c);
    if (Math.abs(cs) < minArea || Math.abs(cd) < minArea) return false;
    if (cs > 0 !== cd > 0) return false;
  }
  return true;
}

/**
 * Checks a final homography `h` (b pixels to a pixels) for a plausible camera motion between two
 * frames of size `width x height`: finite, the frame's corners stay in front of the camera, the
 * mapped frame is a convex quadrilateral with the same orientation, and its area changes by less
 * than `maxAreaRatio` either way. Returns a reason, or null when `h` passes.
 *
 * @example
 * ```ts
 * homographyIsPlausible(h, 640, 480); // null for ordinary motion
 * ```
 */
export function homographyIsPlausible(h: ArrayLike<number>, width: number, height: number, maxAreaRatio = 8): string | null {
  for (let i = 0; i < 9; i++) if (!Number.isFinite(h[i]!)) return 'non-finite homography';
  const xs = [0, width - 1, width - 1, 0];
  const ys = [0, 0, height - 1, height - 1];
  const mx: number[] = [];
  const my: number[] = [];
  for (let k = 0; k < 4; k++) {
    const w = h[6]! * xs[k]! + h[7]! * ys[k]! + h[8]!;
    // The sign of w must agree at every corner, or the frame straddles the horizon.
    if (!(w * h[8]! > 0)) return 'frame crosses the line at infinity';
    mx.push((h[0]! * xs[k]! + h[1]! * ys[k]! + h[2]!) / w);
    my.push((h[3]! * xs[k]! + h[4]! * ys[k]! + h[5]!) / w);
  }
  let area = 0;
  for (let k = 0; k < 4; k++) {
    const n = (k + 1) % 4;
    const p = (k + 3) % 4;
    const turn = (mx[k]! - mx[p]!) * (my[n]! - my[k]!) - (my[k]! - my[p]!) * (mx[n]! - mx[k]!);
    if (!(turn > 0)) return 'mapped frame is not convex or is mirrored';
    area += mx[k]! * my[n]! - mx[n]! * my[k]!;
  }
  const ratio = area / 2 / ((width - 1) * (height - 1));
  if (!(ratio < maxAreaRatio && ratio > 1 / maxAreaRatio)) return `frame area changes by ${ratio.toFixed(2)}x`;
  return null;
}
