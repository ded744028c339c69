import { createRng } from '@motiondelta/core';
import type { GrayImage } from './image.js';

/** Bits per descriptor. */
export const DESCRIPTOR_BITS = 256;
/** 32-bit words per descriptor. */
export const DESCRIPTOR_WORDS = DESCRIPTOR_BITS / 32;
/** Radius (level pixels) that every test point stays within after any rotation. */
export const PATTERN_RADIUS = 13;
/**
 * Orientations are quantized to this many steps (about 2.8 degrees), as ORB does with 30: each
 * step has its pattern rotated and rounded once, so describing a keypoint costs two table reads
 * per test point instead of a rotation and two roundings. Coarse steps cost matches (against exact
 * angles, 32 steps lost 4.5% of the cube clip's matches, 64 steps 1.1%, 128 steps 0.6%); a
 * keypoint reads only its step's 2 KiB of the table, so finer steps cost no measurable time.
 */
export const ANGLE_STEPS = 128;
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

/** PATTERN rotated to every step and rounded: `(ax, ay, bx, by)` per bit, step after step. */
const ROTATED = (() => {
  const t = new Int8Array(ANGLE_STEPS * DESCRIPTOR_BITS * 4);
  for (let step = 0; step < ANGLE_STEPS; step++) {
    const angle = (2 * Math.PI * step) / ANGLE_STEPS;
    const cs = Math.cos(angle);
    const sn = Math.sin(angle);
    for (let p = 0; p < DESCRIPTOR_BITS * 4; p += 2) {
      const px = PATTERN[p]!;
      const py = PATTERN[p + 1]!;
      t[step * DESCRIPTOR_BITS * 4 + p] = Math.round(px * cs - py * sn);
      t[step * DESCRIPTOR_BITS * 4 + p + 1] = Math.round(px * sn + py * cs);
    }
  }
  return t;
})();

/** Widths whose offset tables are kept: a video has one size, its pyramid a few more. */
const OFFSET_CACHE_SIZE = 8;
const offsetCache = new Map<number, Int32Array>();

/**
 * Pixel offsets `dy * width + dx` of the rotated pattern for one image width, two per bit, step
 * after step (256 KiB): with them a test is two table reads and two pixel reads.
 */
function rotatedOffsets(width: number): Int32Array {
  let t = offsetCache.get(width);
  if (t) return t;
  t = new Int32Array(ANGLE_STEPS * DESCRIPTOR_BITS * 2);
  for (let k = 0; k < t.length; k++) t[k] = ROTATED[2 * k + 1]! * width + ROTATED[2 * k]!;
  if (offsetCache.size >= OFFSET_CACHE_SIZE) offsetCache.clear();
  offsetCache.set(width, t);
  return t;
}

/**
 * Writes the steered 256-bit binary descriptor of the keypoint at `(x, y)` with orientation
 * `angle` into `out` at word offset `offset`. Each bit compares two pattern points, rotated by
 * `angle` rounded to one of {@link ANGLE_STEPS} steps, on a smoothed image; the keypoint must lie
 * at least `PATTERN_RADIUS + 1` pixels inside.
 *
 * @example
 * ```ts
 * const desc = new Uint32Array(DESCRIPTOR_WORDS);
 * describeKeypoint(blurred, 100, 100, 0.3, desc, 0);
 * ```
 */
export function describeKeypoint(smoothed: GrayImage, x: number, y: number, angle: number, out: Uint32Array, offset: number): void {
  const { width: w, data } = smoothed;
  const offsets = rotatedOffsets(w);
  // Any finite angle maps to a step in 0..ANGLE_STEPS-1 (the mask wraps negative steps).
  const step = Math.round((angle * ANGLE_STEPS) / (2 * Math.PI)) & (ANGLE_STEPS - 1);
  const c = y * w + x;
  let q = step * DESCRIPTOR_BITS * 2;
  for (let word = 0; word < DESCRIPTOR_WORDS; word++) {
    let bits = 0;
    for (let b = 0; b < 32; b++, q += 2) {
      // The sign bit of the difference is the test result, without a branch.
      bits |= ((data[c + offsets[q]!]! - data[c + offsets[q + 1]!]!) >>> 31) << b;
    }
    out[offset + word] = bits >>> 0;
  }
}
