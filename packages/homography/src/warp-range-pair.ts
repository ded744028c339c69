import { type Rng, uniform } from '@motiondelta/core';
import { AlignmentError } from './errors.js';
import {
  applyHomography,
  composeHomographies,
  type Homography,
  invertHomography,
  normalizeHomography,
  translationHomography,
} from './homography-math.js';
import { assertImage, type ImageInput } from './image.js';
import { warpBilinear } from './warp-bilinear.js';

/** Bounds of a random camera motion between two frames; each term is drawn uniformly in ±bound. */
export interface WarpRange {
  /** Translation in pixels, per axis. */
  readonly maxTranslation: number;
  /** Rotation about the frame centre, in degrees. */
  readonly maxRotationDeg: number;
  /** Relative scale change about the frame centre (0.05 is ±5%). */
  readonly maxScale: number;
  /**
   * Perspective terms `g` of `[1 0 0; 0 1 0; gx gy 1]` about the frame centre, per pixel: 1e-4
   * scales the frame's left and right edges by 1 ∓ 0.032 against each other at 640 px wide.
   */
  readonly maxPerspective: number;
}

/** A frame pair with its exact ground truth. */
export interface WarpRangePair {
  readonly a: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };
  readonly b: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };
  /** True homography mapping pixels of b to pixels of a (`h22 = 1`). */
  readonly H: Homography;
}

/**
 * The moderate warps `estimateHomography` is accepted on at 640x480: translations up to ±120 px,
 * rotations up to ±4°, scale ±5% and mild perspective (±1e-4 per pixel, up to about 10 px at
 * the corners).
 */
export const MODERATE_WARP_RANGE: WarpRange = { maxTranslation: 120, maxRotationDeg: 4, maxScale: 0.05, maxPerspective: 1e-4 };

function checkRange(range: WarpRange): void {
  for (const key of ['maxTranslation', 'maxRotationDeg', 'maxScale', 'maxPerspective'] as const) {
    const v = range[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new AlignmentError(`WarpRange.${key} is ${v}; use a finite number >= 0.`);
  }
  if (range.maxScale >= 0.5) throw new AlignmentError(`WarpRange.maxScale is ${range.maxScale}; use a value below 0.5.`);
  if (range.maxRotationDeg > 45) throw new AlignmentError(`WarpRange.maxRotationDeg is ${range.maxRotationDeg}; use at most 45.`);
}

/** A random homography (b pixels to a pixels) in `range`, composed about the frame centre. */
function randomHomography(range: WarpRange, rng: Rng, width: number, height: number): Homography {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const angle = (uniform(rng, -range.maxRotationDeg, range.maxRotationDeg) * Math.PI) / 180;
  const s = 1 + uniform(rng, -range.maxScale, range.maxScale);
  const tx = uniform(rng, -range.maxTranslation, range.maxTranslation);
  const ty = uniform(rng, -range.maxTranslation, range.maxTranslation);
  const gx = uniform(rng, -range.maxPerspective, range.maxPerspective);
  const gy = uniform(rng, -range.maxPerspective, range.maxPerspective);
  const c = s * Math.cos(angle);
  const sn = s * Math.sin(angle);
  // translate(c + t) · rotate-scale · perspective, all about the centre c.
  const similarity = Float64Array.of(c, -sn, tx, sn, c, ty, 0, 0, 1);
  const perspective = Float64Array.of(1, 0, 0, 0, 1, 0, gx, gy, 1);
  const about = composeHomographies(similarity, perspective);
  return normalizeHomography(
    composeHomographies(translationHomography(cx, cy), composeHomographies(about, translationHomography(-cx, -cy))),
  );
}

/**
 * Makes a seeded pair of `width x height` RGB frames from a photo with an exact ground-truth
 * homography drawn from `range`: `a` is a crop of the photo, `b` is the photo seen through the
 * random homography. The crop is placed so that both frames lie wholly inside the photo (new
 * content enters at the border, as when a real camera pans; nothing is black-filled), which
 * needs a photo larger than the frame by the widest motion of the range on every side; a photo
 * too small for the drawn motion throws {@link AlignmentError}. `makeSyntheticPair` is the
 * per-motion-class generator; this one draws every term at once.
 *
 * @example
 * ```ts
 * const pair = makeWarpRangePair(photo, MODERATE_WARP_RANGE, createRng(1)); // photo >= 1260x840
 * const r = estimateHomography(pair.a, pair.b);
 * if (r.ok) cornerError(r.H, pair.H, 640, 480); // well below a pixel
 * ```
 */
export function makeWarpRangePair(photo: ImageInput, range: WarpRange, rng: Rng, width = 640, height = 480): WarpRangePair {
  assertImage(photo, 'photo');
  checkRange(range);
  const h = randomHomography(range, rng, width, height);
  // b's footprint in a's pixels, joined with a's own rectangle; 2 px spare for bilinear reads.
  let minX = 0,
    minY = 0,
    maxX = width - 1,
    maxY = height - 1;
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [width - 1, height - 1],
    [0, height - 1],
  ] as const) {
    const [u, v] = applyHomography(h, x, y);
    minX = Math.min(minX, u);
    maxX = Math.max(maxX, u);
    minY = Math.min(minY, v);
    maxY = Math.max(maxY, v);
  }
  const loX = Math.ceil(-minX) + 2;
  const hiX = Math.floor(photo.width - 1 - maxX) - 2;
  const loY = Math.ceil(-minY) + 2;
  const hiY = Math.floor(photo.height - 1 - maxY) - 2;
  if (hiX < loX || hiY < loY) {
    throw new AlignmentError(
      `Photo ${photo.width}x${photo.height} is too small for this ${width}x${height} warp: both frames need ` +
        `${Math.ceil(maxX - minX) + 5}x${Math.ceil(maxY - minY) + 5} px of it; scale the photo up or narrow the range.`,
    );
  }
  const ox = Math.round(uniform(rng, loX, hiX));
  const oy = Math.round(uniform(rng, loY, hiY));
  // a(p) = photo(p + o); b(q) = a(H q) = photo(T(o) H q); warpBilinear wants photo -> target.
  const a = warpBilinear(photo, translationHomography(-ox, -oy), { width, height }).image;
  const bFromPhoto = invertHomography(composeHomographies(translationHomography(ox, oy), h));
  if (!bFromPhoto) throw new AlignmentError('internal: warp homography is singular');
  const b = warpBilinear(photo, bFromPhoto, { width, height }).image;
  return {
    a: { data: a.data, width, height, channels: a.channels },
    b: { data: b.data, width, height, channels: b.channels },
    H: h,
  };
}
