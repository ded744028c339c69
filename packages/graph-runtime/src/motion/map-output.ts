import type { MotionFrameGeometry } from './motion-session.js';
import { applyHomography } from './homography.js';

/**
 * Maps an output pixel of a motion frame back to frame pixel coordinates: output pixel `(y, x)` of
 * an output with `scale` input pixels per output pixel sits at viewport pixel `(y * scale.y,
 * x * scale.x)` (its top-left input pixel; add `(scale - 1) / 2` for the centre of its footprint),
 * which the inverse residual warp takes to the frame.
 *
 * @example
 * ```ts
 * const out = await session.run({ image: frame }, { homography });
 * const scale = session.outputScale('heatmap')!;           // { y: 16, x: 16 } for posenet
 * const [fx, fy] = outputToFrame(session.frameGeometry!, scale, 3, 4); // frame (x, y) of heatmap pixel (3, 4)
 * ```
 */
export function outputToFrame(
  geometry: MotionFrameGeometry,
  scale: { readonly y: number; readonly x: number },
  y: number,
  x: number,
): [number, number] {
  return applyHomography(geometry.frameFromViewport, x * scale.x, y * scale.y);
}
