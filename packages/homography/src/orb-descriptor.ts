import { createRng } from '@motiondelta/core';
import type { GrayImage } from './image.js';

/** Bits per descriptor. */
export const DESCRIPTOR_BITS = 256;
/** 32-bit words per descriptor. */
export const DESCRIPTOR_WORDS = DESCRIPTOR_BITS / 32;
/** Radius (level pixels) that every test point stays within after any rotation. */
export const PATTERN_RADIUS = 13;
/** Offset added before truncating rotated pattern coordinates (see describeKeypoint). */
const ROUND_BIAS = 64;

/**
 * The test pattern: pairs of points drawn once from an isotropic Gaussian (sigma = 31/5, the
 * BRIEF G II choice) and kept inside a disc, so rotated copies stay inside the same disc. The seed
 * is fixed: descriptors are only comparable when made with the same pattern.
 */
const PATTERN = (() => {
  const rng = createRng(0x0b5e55ed);
  const sigma = 31 / 5;
  const pts = new Float64Array(DESCRIPTOR_BITS * 4);
  let k = 0;
  while (k < pts.length) {
    // Box-Muller pair.
    const u1 = Math.max(1e-12, rng.next());
    const u2 = rng.next();
    const r = sigma * Math.sqrt(-2 * Math.log(u1));
    const px = r * Math.cos(2 * Math.PI * u2);
    const py = r * Math.sin(2 * Math.PI * u2);
    if (px * px + py * py > PATTERN_RADIUS * PATTERN_RADIUS) continue;
    pts[k++] = px;
    pts[k++] = py;
  }
  return pts;
})();

/**
 * Writes the steered 256-bit binary descriptor of the keypoint at `(x, y)` with orientation
 * `angle` into `out` at word offset `offset`. Each bit compares two pattern points, rotated by
 * `angle`, on a smoothed image; the keypoint must lie at least `PATTERN_RADIUS + 1` pixels inside.
 *
 * @example
 * ```ts
 * const desc = new Uint32Array(DESCRIPTOR_WORDS);
 * describeKeypoint(blurred, 100, 100, 0.3, desc, 0);
 * ```
 */
export function describeKeypoint(
  smoothed: GrayImage,
  x: number,
  y: number,
  angle: number,
  out: Uint32Array,
  offset: number,
): void {
  const { width: w, data } = smoothed;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  // Math.round(v) for v > -ROUND_BIAS, as truncation of a positive number (`| 0`): cheaper than
  // Math.round in the innermost loop, which rounds 1024 coordinates per keypoint.
  const c = (y - ROUND_BIAS) * w + x - ROUND_BIAS;
  const rb = ROUND_BIAS + 0.5;
  for (let word = 0; word < DESCRIPTOR_WORDS; word++) {
    let bits = 0;
    for (let b = 0; b < 32; b++) {
      const p = (word * 32 + b) * 4;
      const ax = PATTERN[p]!;
      const ay = PATTERN[p + 1]!;
      const bx = PATTERN[p + 2]!;
      const by = PATTERN[p + 3]!;
      const ia = c + ((ax * sn + ay * cs + rb) | 0) * w + ((ax * cs - ay * sn + rb) | 0);
      const ib = c + ((bx * sn + by * cs + rb) | 0) * w + ((bx * cs - by * sn + rb) | 0);
      if (data[ia]! < data[ib]!) bits |= 1 << b;
    }
    out[offset + word] = bits >>> 0;
  }
}
