import type { WorldPoint } from '@motiondelta/spherical-buffer';
import type { WindowStore } from './motion-state.js';
import type { WarpedFrame } from './warp-frame.js';

/** Every how many viewport pixels along each axis the residual samples (1 in 16 pixels). */
const SAMPLE_STEP = 4;

/**
 * How much of a motion frame its alignment leaves unexplained: the mean absolute difference between
 * the warped frame and what the input's reference store (the canvas the previous frame ran on)
 * holds at the same world pixels, over the mean magnitude of the latter. Sampled on every 4th
 * pixel of every 4th row of the new viewport (origin `to`) that the frame covers and that lay in
 * the previous viewport (origin `from`), so it costs about 1/16 of a frame copy.
 *
 * Why aligned: a moving camera changes most raw pixels from one frame to the next, while the
 * aligned frame differs from its predecessor only by what the homography does not explain (noise,
 * parallax, moving objects, lighting); at a cut to another shot it is as large as between
 * unrelated pictures (about 0.6 to 1).
 *
 * @returns 0 for identical content, Infinity when the reference is all zeros and the frame is not,
 *   undefined when no sampled pixel is both covered and in the previous viewport
 *
 * @example
 * ```ts
 * const r = alignedChange(warped, state.get(plan.input).store!, { y: 0, x: 0 }, { y: 2, x: -1 }, 96, 128);
 * if (r !== undefined && r > 0.4) console.log('scene cut');
 * ```
 */
export function alignedChange(
  warped: WarpedFrame,
  reference: WindowStore,
  from: WorldPoint,
  to: WorldPoint,
  height: number,
  width: number,
): number | undefined {
  const c = reference.channels;
  const data = reference.data;
  const frame = warped.data;
  // Viewport rows and columns (new coordinates) that were inside the previous viewport.
  const y0 = Math.max(0, from.y - to.y);
  const y1 = Math.min(height, from.y - to.y + height);
  const x0 = Math.max(0, from.x - to.x);
  const x1 = Math.min(width, from.x - to.x + width);
  let diff = 0;
  let magnitude = 0;
  let samples = 0;
  for (let y = y0; y < y1; y += SAMPLE_STEP) {
    for (let x = x0; x < x1; x += SAMPLE_STEP) {
      const p = y * width + x;
      if (warped.covered[p] === 0) continue;
      const r = reference.at(to.y + y, to.x + x);
      for (let k = 0; k < c; k++) {
        const old = data[r + k]!;
        diff += Math.abs(frame[p * c + k]! - old);
        magnitude += Math.abs(old);
      }
      samples++;
    }
  }
  if (samples === 0) return undefined;
  if (diff === 0) return 0;
  return magnitude === 0 ? Number.POSITIVE_INFINITY : diff / magnitude;
}
