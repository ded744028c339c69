import { applyHomography, translation, type Homography3x3 } from './homography.js';

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
): { pose: Homography3x3; choice: PoseChoice } {
  if (!(tolerance > 0)) return { pose: measured, choice: 'measured' };
  if (previous && cornerDistance(measured, previous, width, height) <= tolerance) return { pose: previous, choice: 'held' };
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const [px, py] = applyHomography(measured, cx, cy);
  const whole = translation(Math.round(px - cx) + 0, Math.round(py - cy) + 0);
  if (cornerDistance(measured, whole, width, height) <= tolerance) return { pose: whole, choice: 'whole-pixel' };
  return { pose: measured, choice: 'measured' };
}
