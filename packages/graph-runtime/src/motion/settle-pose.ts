import { applyHomography, translation, type Homography3x3 } from './homography.js';

/**
 * How a motion frame is brought onto the viewport grid (`warp` of `createSession`):
 * - `'homography'`: resampled (bilinear) through the frame's homography, sub-pixel rest, zoom and
 *   rotation included, so that static content lands on the same world pixels every frame;
 * - `'whole-pixel'`: moved by the whole-pixel translation nearest to the homography at the frame
 *   centre, never resampled. The rest of the motion (sub-pixel, zoom, rotation, parallax) reaches
 *   the network as ordinary deltas, and at threshold 0 the outputs are dense inference on the
 *   frame itself, shifted by whole pixels (no interpolation floor against dense).
 */
export type MotionWarp = 'homography' | 'whole-pixel';

/** Which pose a motion frame ran with. */
export type PoseChoice =
  /** The frame's homography as given. */
  | 'measured'
  /** The previous frame's pose: the given one was within the tolerance of it (a still camera). */
  | 'held'
  /** The nearest whole-pixel translation: the given pose was within the tolerance of it. */
  | 'whole-pixel';

/** Largest distance, in pixels, between where `a` and `b` send the corners of a `width x height` frame. */
export function cornerDistance(a: Homography3x3, b: Homography3x3, width: number, height: number): number {
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
  ] as const) {
    const [ax, ay] = applyHomography(a, x, y);
    const [bx, by] = applyHomography(b, x, y);
    worst = Math.max(worst, Math.hypot(ax - bx, ay - by));
  }
  return worst;
}

/**
 * The frame -> world pose a motion frame runs with. Estimated homographies jitter by a few
 * hundredths of a pixel even when the camera is still, and any sub-pixel change of the pose
 * resamples the whole frame, which turns every textured pixel into a delta. So a pose within
 * `tolerance` pixels (at every frame corner) of the previous frame's pose reuses that pose
 * exactly (the warped frame is then bit-identical for a still scene), and one within `tolerance`
 * of a whole-pixel translation becomes that translation (an exact copy, no interpolation). The
 * misalignment this accepts is at most `tolerance` pixels, never accumulated: each frame is
 * compared with the pose it actually ran with. `tolerance` 0 keeps every pose as given.
 *
 * @example
 * ```ts
 * settlePose([1, 0, 3.02, 0, 1, 0, 0, 0, 1], undefined, 192, 144, 0.1); // { pose: [1,0,3, 0,1,0, 0,0,1], choice: 'whole-pixel' }
 * ```
 */
export function settlePose(
  measured: Homography3x3,
  previous: Homography3x3 | undefined,
  width: number,
  height: number,
  tolerance: number,
  warp: MotionWarp = 'homography',
): { pose: Homography3x3; choice: PoseChoice } {
  if (warp === 'whole-pixel') return wholePixelPose(measured, previous, width, height, tolerance);
  if (!(tolerance > 0)) return { pose: measured, choice: 'measured' };
  if (previous && cornerDistance(measured, previous, width, height) <= tolerance) return { pose: previous, choice: 'held' };
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const [px, py] = applyHomography(measured, cx, cy);
  const whole = translation(Math.round(px - cx) + 0, Math.round(py - cy) + 0);
  if (cornerDistance(measured, whole, width, height) <= tolerance) return { pose: whole, choice: 'whole-pixel' };
  return { pose: measured, choice: 'measured' };
}

/**
 * `warp: 'whole-pixel'`: the whole-pixel translation nearest to where `measured` takes the frame
 * centre. The previous translation is kept (`held`) while the centre stays within half a pixel plus
 * `tolerance` of it on both axes: without that margin, a centre jittering around a half pixel
 * would move the viewport back and forth every frame.
 *
 * @example
 * ```ts
 * wholePixelPose([0.98, 0, 2.6, 0, 0.98, 0, 0, 0, 1], undefined, 128, 96, 0.1); // { pose: [1,0,1, 0,1,-1, 0,0,1], choice: 'whole-pixel' }
 * ```
 */
export function wholePixelPose(
  measured: Homography3x3,
  previous: Homography3x3 | undefined,
  width: number,
  height: number,
  tolerance: number,
): { pose: Homography3x3; choice: PoseChoice } {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const [px, py] = applyHomography(measured, cx, cy);
  const dx = px - cx;
  const dy = py - cy;
  if (
    previous &&
    isTranslation(previous) &&
    Math.abs(dx - previous[2]!) <= 0.5 + tolerance &&
    Math.abs(dy - previous[5]!) <= 0.5 + tolerance
  ) {
    return { pose: previous, choice: 'held' };
  }
  return { pose: translation(Math.round(dx) + 0, Math.round(dy) + 0), choice: 'whole-pixel' };
}

function isTranslation(h: Homography3x3): boolean {
  return h[0] === 1 && h[1] === 0 && h[3] === 0 && h[4] === 1 && h[6] === 0 && h[7] === 0 && h[8] === 1;
}
