import { blurBinomial7 } from './blur.js';
import { detectFast } from './fast-corners.js';
import { toGrayscale } from './grayscale.js';
import { harrisResponse } from './harris.js';
import type { GrayImage, ImageInput } from './image.js';
import { AlignmentError } from './errors.js';
import { DESCRIPTOR_WORDS, describeKeypoint } from './orb-descriptor.js';
import { PATCH_RADIUS, patchOrientation } from './orientation.js';
import { buildPyramid } from './pyramid.js';

/** Options of {@link extractFeatures}. */
export interface FeatureOptions {
  /** Keypoints kept over all levels. Default 500. */
  readonly maxFeatures?: number;
  /** Pyramid levels. Default 4. */
  readonly levels?: number;
  /** Size ratio between consecutive levels. Default sqrt(2). */
  readonly scaleFactor?: number;
  /** FAST intensity threshold; lowered automatically on low-contrast frames. Default 20. */
  readonly fastThreshold?: number;
  /** Side of the grid cells (level pixels) that spread keypoints over the frame. Default 32. */
  readonly cellSize?: number;
}

/** Oriented keypoints and their binary descriptors for one frame. */
export interface FrameFeatures {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  /** Level-0 pixel coordinates (pixel centres at integers). */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Pixel size of the keypoint's pyramid level in level-0 pixels. */
  readonly scale: Float32Array;
  readonly angle: Float32Array;
  /** `count * DESCRIPTOR_WORDS` words. */
  readonly descriptors: Uint32Array;
  /** Level-0 luma, smoothed: reused by intensity refinement. */
  readonly smoothed: GrayImage;
  /** Standard deviation of the level-0 luma; near 0 means a flat frame. */
  readonly contrast: number;
}

function resolve(options: FeatureOptions) {
  const maxFeatures = options.maxFeatures ?? 500;
  const levels = options.levels ?? 4;
  const scaleFactor = options.scaleFactor ?? Math.SQRT2;
  const fastThreshold = options.fastThreshold ?? 20;
  const cellSize = options.cellSize ?? 32;
  if (!Number.isInteger(maxFeatures) || maxFeatures < 8) throw new AlignmentError(`maxFeatures is ${maxFeatures}; use an integer >= 8.`);
  if (!Number.isInteger(levels) || levels < 1 || levels > 12) throw new AlignmentError(`levels is ${levels}; use an integer in 1..12.`);
  if (!(scaleFactor > 1 && scaleFactor <= 4)) throw new AlignmentError(`scaleFactor is ${scaleFactor}; use a number in (1, 4].`);
  if (!(fastThreshold >= 1 && fastThreshold < 255)) throw new AlignmentError(`fastThreshold is ${fastThreshold}; use a number in [1, 255).`);
  if (!(cellSize >= 4)) throw new AlignmentError(`cellSize is ${cellSize}; use a number >= 4.`);
  return { maxFeatures, levels, scaleFactor, fastThreshold, cellSize };
}

function stdDev(gray: GrayImage): number {
  const d = gray.data;
  let s = 0;
  let s2 = 0;
  // Every 7th pixel is plenty to tell a flat frame from a textured one.
  let n = 0;
  for (let i = 0; i < d.length; i += 7, n++) {
    const v = d[i]!;
    s += v;
    s2 += v * v;
  }
  const mean = s / Math.max(1, n);
  return Math.sqrt(Math.max(0, s2 / Math.max(1, n) - mean * mean));
}

/**
 * Detects FAST corners over an image pyramid, ranks them by Harris response with a grid quota
 * so they cover the frame, orients them by intensity centroid and describes them with steered
 * 256-bit binary tests (ORB-like).
 *
 * @example
 * ```ts
 * const features = extractFeatures({ data: rgb, width: 640, height: 480, channels: 3 });
 * features.count; // up to 500
 * ```
 */
export function extractFeatures(image: ImageInput, options: FeatureOptions = {}): FrameFeatures {
  const opts = resolve(options);
  const gray = toGrayscale(image);
  const contrast = stdDev(gray);
  // One blur at full resolution serves three purposes: descriptors at level 0, anti-aliasing for
  // the coarser levels (built from it), and intensity refinement. Blurring every level again
  // would cost as much as the rest of extraction together.
  const smoothed0 = blurBinomial7(gray);
  const pyramid = buildPyramid(smoothed0, opts.levels, opts.scaleFactor);
  const border = PATCH_RADIUS + 1;
  // Budget per level falls with the level's linear size, as in ORB.
  const inv = 1 / opts.scaleFactor;
  const weights = pyramid.map((_, l) => Math.pow(inv, l));
  const wsum = weights.reduce((a, b) => a + b, 0);

  const xs: number[] = [];
  const ys: number[] = [];
  const scales: number[] = [];
  const angles: number[] = [];
  const descriptors = new Uint32Array(opts.maxFeatures * DESCRIPTOR_WORDS);
  let count = 0;

  for (let l = 0; l < pyramid.length; l++) {
    // Level 0 detects on the raw luma (sharpest corners) and describes on the smoothed one.
    const level = l === 0 ? { ...gray, scale: 1, scaleX: 1, scaleY: 1 } : pyramid[l]!;
    const smoothed = pyramid[l]!;
    const budget = l === pyramid.length - 1 ? opts.maxFeatures - count : Math.round((opts.maxFeatures * weights[l]!) / wsum);
    if (budget <= 0 || level.width <= 2 * border || level.height <= 2 * border) continue;
    let corners = detectFast(level, opts.fastThreshold, border);
    // Low-contrast frames: retry once with a lower threshold before giving up on the level.
    if (corners.count < budget && opts.fastThreshold > 8) corners = detectFast(level, Math.max(6, opts.fastThreshold / 3), border);
    if (corners.count === 0) continue;
    const response = new Float64Array(corners.count);
    const order = new Int32Array(corners.count);
    for (let k = 0; k < corners.count; k++) {
      response[k] = harrisResponse(level, corners.x[k]!, corners.y[k]!);
      order[k] = k;
    }
    order.sort((p, q) => response[q]! - response[p]!);
    // Grid quota first (spread), then the strongest leftovers (quantity).
    const cols = Math.max(1, Math.ceil(level.width / opts.cellSize));
    const rows = Math.max(1, Math.ceil(level.height / opts.cellSize));
    const quota = Math.max(1, Math.ceil((2 * budget) / (cols * rows)));
    const perCell = new Uint16Array(cols * rows);
    const taken = new Uint8Array(corners.count);
    const chosen: number[] = [];
    for (let pass = 0; pass < 2 && chosen.length < budget; pass++) {
      for (let r = 0; r < order.length && chosen.length < budget; r++) {
        const k = order[r]!;
        if (taken[k] || response[k]! <= 0) continue;
        if (pass === 0) {
          const cell = Math.floor(corners.y[k]! / opts.cellSize) * cols + Math.floor(corners.x[k]! / opts.cellSize);
          if (perCell[cell]! >= quota) continue;
          perCell[cell]!++;
        }
        taken[k] = 1;
        chosen.push(k);
      }
    }
    for (const k of chosen) {
      const x = corners.x[k]!;
      const y = corners.y[k]!;
      const angle = patchOrientation(smoothed, x, y);
      describeKeypoint(smoothed, x, y, angle, descriptors, count * DESCRIPTOR_WORDS);
      xs.push((x + 0.5) * level.scaleX - 0.5);
      ys.push((y + 0.5) * level.scaleY - 0.5);
      scales.push(level.scale);
      angles.push(angle);
      count++;
    }
  }
  return {
    width: gray.width,
    height: gray.height,
    count,
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    scale: Float32Array.from(scales),
    angle: Float32Array.from(angles),
    descriptors: descriptors.subarray(0, count * DESCRIPTOR_WORDS),
    smoothed: smoothed0,
    contrast,
  };
}
