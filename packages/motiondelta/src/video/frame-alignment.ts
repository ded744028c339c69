import { InputError } from '@motiondelta/core';
import { checkHomography } from '@motiondelta/graph-runtime';
import { composeHomographies, createFrameAligner, invertHomography, type EstimateOptions } from '@motiondelta/homography';
import type { CropRect, RgbImage } from '@motiondelta/video-io';

/**
 * Where each frame's homography to the world comes from, in motion mode:
 * - `'estimate'`: estimated frame to frame with `@motiondelta/homography` and chained into frame
 *   to world (the world is the first frame);
 * - `'none'`: a static camera (every homography the identity);
 * - `{ homographies }`: given, one per frame in order (from an IMU, SLAM, a file), each frame
 *   pixels to world pixels in the *video's* pixels; they are moved onto the model's input grid;
 * - a function: asked for each frame (its index in the run, the frame at the input size), in the
 *   input grid's pixels.
 */
export type AlignSpec =
  'estimate' | 'none' | { readonly homographies: readonly (readonly number[])[] } | ((index: number, frame: RgbImage) => readonly number[]);

/** How one frame's homography was obtained. */
export type AlignSource = 'first' | 'estimated' | 'failed' | 'identity' | 'given';

/** One frame's homography and where it came from. */
export interface AlignStep {
  /** Frame pixels (model input grid) to world pixels, row-major 3x3 with h22 = 1. */
  readonly homography: readonly number[];
  readonly source: AlignSource;
  /** Why estimation failed (`source: 'failed'`), e.g. `too-few-inliers: 7 inliers, 12 needed`. */
  readonly failure?: string;
  /** Estimation inliers and RMS transfer error in pixels (`source: 'estimated'`). */
  readonly inliers?: number;
  readonly rms?: number;
  /**
   * The frame cannot be related to the previous one: the session must start over here (a dense
   * keyframe, re-anchored at this frame's homography).
   */
  readonly restart: boolean;
}

/** Gives each frame its homography, in run order. */
export interface FrameAlignment {
  /** `estimate`, `none`, `given` or `function`. */
  readonly label: string;
  next(frame: RgbImage): AlignStep;
}

/** Where the model's input grid lies in the video frame: the centred crop, resized. */
export interface InputGeometry {
  readonly crop: CropRect;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

const IDENTITY: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * Creates the alignment of a run. With `'estimate'`, each frame is aligned to the one before
 * (features of each frame extracted once) and the pair homographies are chained into frame ->
 * world, the world being the first frame run. A pair that cannot be aligned does not stop the
 * run: the chain carries on as if the camera had not moved, and the step says `restart` so the
 * session takes a keyframe there, with the estimator's reason reported.
 *
 * Given homographies are in the video's pixels; they are moved onto the model's input grid (the
 * centred crop, resized: a scale and a shift, `A`) as `A · H · A⁻¹`, which keeps them frame ->
 * world with the world expressed at the model's scale.
 *
 * @throws InputError for a given homography that is malformed or degenerate, naming the frame
 *
 * @example
 * ```ts
 * const alignment = createFrameAlignment('estimate', { crop: centredCrop(info, [256, 256]), size: [256, 256] });
 * for await (const frame of frames) await session.run(input(frame), { homography: alignment.next(frame).homography });
 * ```
 */
export function createFrameAlignment(
  spec: AlignSpec,
  geometry: InputGeometry,
  estimateOptions: EstimateOptions = { seed: 1 },
): FrameAlignment {
  if (spec === 'none') return { label: 'none', next: () => ({ homography: IDENTITY, source: 'identity', restart: false }) };
  if (typeof spec === 'function') {
    let index = 0;
    return {
      label: 'function',
      next: (frame) => {
        const i = index++;
        return { homography: checkHomography(spec(i, frame), `the homography given for frame ${i}`), source: 'given', restart: false };
      },
    };
  }
  if (spec !== 'estimate') {
    const a = modelFromVideo(geometry);
    const aInv = invertHomography(a)!;
    const hs = spec.homographies.map((h, i) => {
      const checked = checkHomography(h, `homographies[${i}]`);
      return normalized(composeHomographies(composeHomographies(a, checked), aInv));
    });
    let k = 0;
    return {
      label: 'given',
      next: () => {
        if (k >= hs.length)
          throw new InputError(`${hs.length} homographies were given, but frame ${k} of the run needs one; give one per frame.`);
        return { homography: hs[k++]!, source: 'given', restart: false };
      },
    };
  }
  const aligner = createFrameAligner(estimateOptions);
  let worldFromPrevious: readonly number[] = IDENTITY;
  return {
    label: 'estimate',
    next(frame: RgbImage): AlignStep {
      const r = aligner.push({ data: frame.data, width: frame.width, height: frame.height, channels: 3 });
      if (r === null) return { homography: IDENTITY, source: 'first', restart: false };
      if (!r.ok) {
        return { homography: worldFromPrevious, source: 'failed', failure: `${r.reason}: ${r.detail}`, restart: true };
      }
      // r.H maps this frame's pixels to the previous frame's.
      worldFromPrevious = normalized(composeHomographies(worldFromPrevious, r.H));
      return { homography: worldFromPrevious, source: 'estimated', inliers: r.inliers, rms: r.rms, restart: false };
    },
  };
}

/**
 * Video pixels to model input pixels: the crop, then ffmpeg's resize, which maps pixel centres
 * (`x_m + 0.5 = (x_v - crop.x + 0.5) · width / crop.width`).
 */
export function modelFromVideo(geometry: InputGeometry): number[] {
  const [h, w] = geometry.size;
  const sx = w / geometry.crop.width;
  const sy = h / geometry.crop.height;
  return [sx, 0, sx * (0.5 - geometry.crop.x) - 0.5, 0, sy, sy * (0.5 - geometry.crop.y) - 0.5, 0, 0, 1];
}

/** `h / h22` as a plain array. */
function normalized(h: ArrayLike<number>): number[] {
  const s = h[8]!;
  return Array.from({ length: 9 }, (_, i) => h[i]! / s);
}
