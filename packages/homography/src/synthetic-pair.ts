import { type Rng, uniform } from '@motiondelta/core';
import { blurBinomial7 } from './blur.js';
import { AlignmentError } from './errors.js';
import { composeHomographies, type Homography, invertHomography, normalizeHomography, translationHomography } from './homography-math.js';
import { assertImage, type GrayImage, type ImageInput } from './image.js';
import { homographyFrom4 } from './normalized-dlt.js';
import { warpBilinear } from './warp-bilinear.js';

/** Motion classes of the acceptance suite and the benchmark. */
export const MOTION_CLASSES = ['translation', 'similarity', 'perspective', 'noise', 'brightness', 'blur'] as const;
export type MotionClass = (typeof MOTION_CLASSES)[number];

/** An image pair with its exact ground truth. */
export interface SyntheticPair {
  readonly a: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };
  readonly b: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };
  /** True homography mapping pixels of b to pixels of a. */
  readonly H: Homography;
  readonly motion: MotionClass;
}

function gaussian(rng: Rng): number {
  const u1 = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.next());
}

// Moderate motion between consecutive video frames at 640x480.
function trueHomography(motion: MotionClass, rng: Rng, w: number, h: number): Homography {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  if (motion === 'translation') return translationHomography(uniform(rng, -40, 40), uniform(rng, -30, 30));
  if (motion === 'similarity') {
    const angle = (uniform(rng, -10, 10) * Math.PI) / 180;
    const s = Math.exp(uniform(rng, Math.log(0.9), Math.log(1.1)));
    const c = s * Math.cos(angle);
    const sn = s * Math.sin(angle);
    const tx = uniform(rng, -25, 25);
    const ty = uniform(rng, -20, 20);
    // Rotate and scale about the centre, then shift.
    return Float64Array.of(c, -sn, cx - c * cx + sn * cy + tx, sn, c, cy - sn * cx - c * cy + ty, 0, 0, 1);
  }
  // Perspective and photometric classes: each corner moves independently (a general homography).
  const amp = motion === 'perspective' ? 30 : 18;
  const shiftX = uniform(rng, -15, 15);
  const shiftY = uniform(rng, -15, 15);
  const xs = [0, w - 1, w - 1, 0];
  const ys = [0, 0, h - 1, h - 1];
  const pts = {
    count: 4,
    srcX: Float64Array.from(xs),
    srcY: Float64Array.from(ys),
    dstX: Float64Array.from(xs.map((x) => x + shiftX + uniform(rng, -amp, amp))),
    dstY: Float64Array.from(ys.map((y) => y + shiftY + uniform(rng, -amp, amp))),
  };
  const hh = homographyFrom4(pts, [0, 1, 2, 3]);
  if (!hh) throw new AlignmentError('internal: corner perturbation gave a degenerate homography');
  return hh;
}

/**
 * Makes a seeded pair of `width x height` RGB frames from a photo with an exact ground-truth
 * homography: `a` is a crop of the photo at a random place, `b` is the photo seen through a
 * random homography of the given motion class, so `H` (b to a) is known exactly. The photo
 * must exceed the frame by a margin so that b stays covered. Photometric classes also change b:
 * `noise` adds Gaussian noise (sigma 4 to 8 gray levels), `brightness` applies gain 0.7-1.3 and
 * bias ±30, `blur` smooths b once or twice with a 7-tap binomial.
 *
 * @example
 * ```ts
 * const pair = makeSyntheticPair(photo, 'perspective', createRng(1));
 * const r = estimateHomography(pair.a, pair.b);
 * if (r.ok) cornerError(r.H, pair.H, 640, 480); // well below a pixel
 * ```
 */
export function makeSyntheticPair(photo: ImageInput, motion: MotionClass, rng: Rng, width = 640, height = 480): SyntheticPair {
  assertImage(photo, 'photo');
  const margin = 80;
  if (photo.width < width + 2 * margin || photo.height < height + 2 * margin) {
    throw new AlignmentError(
      `Photo ${photo.width}x${photo.height} is too small for ${width}x${height} frames; it needs ${margin}px of margin on every side.`,
    );
  }
  const ox = Math.round(uniform(rng, margin, photo.width - width - margin));
  const oy = Math.round(uniform(rng, margin, photo.height - height - margin));
  const h = trueHomography(motion, rng, width, height);
  // a(p) = photo(p + o); b(q) = a(H q) = photo(T(o) H q); warpBilinear wants photo -> target.
  const photoFromA = translationHomography(ox, oy);
  const aFromPhoto = translationHomography(-ox, -oy);
  const a = warpBilinear(photo, aFromPhoto, { width, height }).image;
  const bFromPhoto = invertHomography(composeHomographies(photoFromA, h));
  if (!bFromPhoto) throw new AlignmentError('internal: synthetic homography is singular');
  const warped = warpBilinear(photo, bFromPhoto, { width, height }).image;
  const b = { data: warped.data, width, height, channels: warped.channels };
  if (motion === 'noise') {
    const sigma = uniform(rng, 4, 8);
    for (let i = 0; i < b.data.length; i++) b.data[i] = Math.min(255, Math.max(0, Math.round(b.data[i]! + sigma * gaussian(rng))));
  } else if (motion === 'brightness') {
    const gain = uniform(rng, 0.7, 1.3);
    const bias = uniform(rng, -30, 30);
    for (let i = 0; i < b.data.length; i++) b.data[i] = Math.min(255, Math.max(0, Math.round(b.data[i]! * gain + bias)));
  } else if (motion === 'blur') {
    const passes = rng.next() < 0.5 ? 1 : 2;
    const ch = b.channels;
    const plane = new Uint8Array(width * height);
    for (let c = 0; c < ch; c++) {
      for (let i = 0; i < plane.length; i++) plane[i] = b.data[i * ch + c]!;
      let img: GrayImage = { data: plane, width, height };
      for (let p = 0; p < passes; p++) img = blurBinomial7(img);
      for (let i = 0; i < plane.length; i++) b.data[i * ch + c] = img.data[i]!;
    }
  }
  return { a, b, H: normalizeHomography(h), motion };
}
