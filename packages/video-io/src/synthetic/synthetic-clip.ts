import { OptionError } from '@motiondelta/core';
import {
  applyHomography,
  composeHomographies,
  invertHomography,
  translationHomography,
  warpBilinear,
  type Homography,
} from '@motiondelta/homography';
import type { CropRect, Frame, RgbImage, Size } from '../types.js';
import { assertCameraPath, cameraPathHomography, type CameraPath } from './camera-path.js';
import { assertMovingObject, drawMovingObject, movingObjectRect, type MovingObject } from './moving-object.js';
import { addSensorNoise, assertSensorNoise, type SensorNoise } from './sensor-noise.js';

/** Options of {@link createSyntheticClip}. */
export interface SyntheticClipOptions {
  /** How the camera moves; see {@link CameraPath}. */
  readonly path: CameraPath;
  /** Number of frames (positive integer). */
  readonly frames: number;
  /** Frame size; default 256x192. */
  readonly width?: number;
  readonly height?: number;
  /** Top-left of frame 0 in the photo (integers); default the crop centred in the photo. */
  readonly origin?: { readonly x: number; readonly y: number };
  /** Frames per second for `timestamp`; default 30. */
  readonly fps?: number;
  /** A rectangle moving across the view, drawn over the photo. */
  readonly object?: MovingObject;
  /** Seeded per-frame Gaussian noise, added last (after the object). */
  readonly noise?: SensorNoise;
  /**
   * `'require'` (default): every pixel of every frame must come from the photo, else
   * {@link OptionError} names the first frame that leaves it. `'allow'`: uncovered pixels are
   * black and {@link SyntheticClip.validity} reports them.
   */
  readonly coverage?: 'require' | 'allow';
}

/** A synthetic camera-motion clip over a photo, with its exact ground truth. */
export interface SyntheticClip extends AsyncIterable<Frame> {
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly fps: number;
  /** Same as `{ width, height }`, as on `openVideo`'s reader. */
  readonly frameSize: Size;
  /** Renders frame `i` (a fresh buffer each call). */
  frame(index: number): Frame;
  /** Row-major 3x3 from frame-`i` pixels to world pixels (world = frame 0's pixel grid); a copy. */
  homography(index: number): Float64Array;
  /**
   * From frame-`b` pixels to frame-`a` pixels, `H_a⁻¹ · H_b`: the direction
   * `estimateHomography(frameA, frameB)` returns.
   */
  homographyBetween(a: number, b: number): Float64Array;
  /** 1 where frame `i`'s pixel is sampled from inside the photo, else 0 (all 1 unless `coverage: 'allow'`). */
  validity(index: number): Uint8Array;
  /** The object's rectangle in frame `i` (frame pixels, unclipped), or `null` without an object. */
  objectRect(index: number): CropRect | null;
}

function positiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new OptionError(`${what} is ${value}; it must be a positive integer.`);
}

function assertPhoto(photo: RgbImage): void {
  positiveInt(photo.width, 'photo.width');
  positiveInt(photo.height, 'photo.height');
  if (!(photo.data instanceof Uint8Array) || photo.data.length !== photo.width * photo.height * 3) {
    throw new OptionError(
      `photo data must be a Uint8Array of ${photo.width * photo.height * 3} bytes (${photo.width}x${photo.height} RGB).`,
    );
  }
}

/**
 * Throws {@link OptionError} naming frame `index` when a frame corner maps outside the photo.
 * The maps here send the frame rectangle to a convex quadrilateral (w > 0 at every corner), so
 * corners inside the photo mean the whole frame is inside.
 */
function assertCovered(photoFromFrame: Homography, index: number, width: number, height: number, photo: Size): void {
  const slack = 1e-6; // the same slack warpBilinear allows at the last pixel centre
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [width - 1, height - 1],
    [0, height - 1],
  ] as const) {
    const w = photoFromFrame[6]! * x + photoFromFrame[7]! * y + photoFromFrame[8]!;
    const [px, py] = applyHomography(photoFromFrame, x, y);
    if (!(w > 0) || !(px >= -slack && py >= -slack && px <= photo.width - 1 + slack && py <= photo.height - 1 + slack)) {
      throw new OptionError(
        `Frame ${index} leaves the photo: its corner (${x}, ${y}) lands at photo position (${px.toFixed(2)}, ${py.toFixed(2)}), ` +
          `outside 0..${photo.width - 1} x 0..${photo.height - 1}. Shorten or slow the path, move the origin, ` +
          "use a smaller frame or a larger photo, or pass coverage: 'allow'.",
      );
    }
  }
}

/**
 * Renders a clip by viewing `photo` through a camera path: frame `i` samples the photo
 * bilinearly through `photoFromWorld · H_i`, where frame 0 is the crop at `origin`. The
 * homographies are exact, so the clip is a ground truth for alignment and motion-mode tests.
 * Frames are rendered on demand from the photo, so the clip holds no frame buffers.
 *
 * @example
 * ```ts
 * import { ensureData } from '@motiondelta/data';
 * import { createSyntheticClip, readImage } from '@motiondelta/video-io';
 *
 * const photo = await readImage((await ensureData('flower')).main); // 2268x1512
 * const clip = createSyntheticClip(photo, {
 *   frames: 24,
 *   path: { kind: 'compose', paths: [{ kind: 'backAndForth', distance: 32, step: 8 }, { kind: 'rotation', degreesPerFrame: 0.2 }] },
 *   object: { width: 40, height: 30, fill: { color: [255, 40, 40] }, x: 0, y: 80, dx: 6 },
 * });
 * for await (const frame of clip) {
 *   const H = clip.homography(frame.index); // frame pixels -> frame-0 pixels
 * }
 * ```
 */
export function createSyntheticClip(photo: RgbImage, options: SyntheticClipOptions): SyntheticClip {
  assertPhoto(photo);
  const { frames, width = 256, height = 192, fps = 30, coverage = 'require' } = options;
  positiveInt(frames, 'frames');
  positiveInt(width, 'width');
  positiveInt(height, 'height');
  if (!Number.isFinite(fps) || fps <= 0) throw new OptionError(`fps is ${fps}; it must be a positive number.`);
  if (coverage !== 'require' && coverage !== 'allow') throw new OptionError(`coverage is '${String(coverage)}'; use 'require' or 'allow'.`);
  if (width > photo.width || height > photo.height) {
    throw new OptionError(`Frames of ${width}x${height} do not fit in the ${photo.width}x${photo.height} photo.`);
  }
  const origin = options.origin ?? { x: Math.floor((photo.width - width) / 2), y: Math.floor((photo.height - height) / 2) };
  if (!Number.isInteger(origin.x) || !Number.isInteger(origin.y)) {
    throw new OptionError(`origin (${origin.x}, ${origin.y}) must be integers so that frame 0 is an exact crop.`);
  }
  assertCameraPath(options.path);
  if (options.object) assertMovingObject(options.object);
  if (options.noise) assertSensorNoise(options.noise);

  const worldFromFrame: Homography[] = [];
  const frameFromPhoto: Homography[] = [];
  const photoFromWorld = translationHomography(origin.x, origin.y);
  for (let i = 0; i < frames; i++) {
    const h = cameraPathHomography(options.path, i, width, height);
    if (i === 0 && h.some((v, k) => Math.abs(v - (k % 4 === 0 ? 1 : 0)) > 1e-9)) {
      throw new OptionError(`path.homography(0) must be the identity: the world is frame 0's pixel grid.`);
    }
    const photoFromFrame = composeHomographies(photoFromWorld, h);
    if (coverage === 'require') assertCovered(photoFromFrame, i, width, height, photo);
    const inv = invertHomography(photoFromFrame);
    if (!inv) throw new OptionError(`Frame ${i}'s homography is singular; the path must stay invertible.`);
    worldFromFrame.push(h);
    frameFromPhoto.push(inv);
  }

  const source = { data: photo.data, width: photo.width, height: photo.height, channels: 3 };
  const check = (index: number): number => {
    if (!Number.isInteger(index) || index < 0 || index >= frames) {
      throw new OptionError(`Frame index ${index} is outside 0..${frames - 1}.`);
    }
    return index;
  };
  const warp = (index: number) => warpBilinear(source, frameFromPhoto[check(index)]!, { width, height });

  const clip: SyntheticClip = {
    width,
    height,
    frames,
    fps,
    frameSize: { width, height },
    frame(index) {
      const { image } = warp(index);
      const data = image.data;
      const framed: Frame = { index, timestamp: index / fps, width, height, data };
      if (options.object) drawMovingObject(framed, options.object, movingObjectRect(options.object, index));
      if (options.noise) addSensorNoise(data, options.noise, index);
      return framed;
    },
    homography: (index) => Float64Array.from(worldFromFrame[check(index)]!),
    homographyBetween(a, b) {
      const inv = invertHomography(worldFromFrame[check(a)]!);
      // Never null: every H_i was inverted (via photoFromFrame) when the clip was made.
      return composeHomographies(inv!, worldFromFrame[check(b)]!);
    },
    validity: (index) => warp(index).mask,
    objectRect: (index) => (options.object ? movingObjectRect(options.object, check(index)) : null),
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < frames; i++) yield clip.frame(i);
    },
  };
  return clip;
}
