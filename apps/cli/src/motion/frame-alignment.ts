import { composeHomographies, createFrameAligner, invertHomography, type EstimateOptions } from '@motiondelta/homography';
import type { CropRect, RgbImage } from '@motiondelta/video-io';
import { readHomographyFile } from './homography-file.js';

/** `--align`: where each frame's homography to the world comes from. */
export type AlignSpec =
  /** Estimated frame to frame with `@motiondelta/homography` and chained (world = first frame run). */
  | { readonly kind: 'estimate' }
  /** A static camera: every homography is the identity. */
  | { readonly kind: 'none' }
  /** Read from a JSON file, one per video frame, in the video's own pixels. */
  | { readonly kind: 'file'; readonly path: string };

/** How one frame's homography was obtained. */
export type AlignSource = 'first' | 'estimated' | 'failed' | 'identity' | 'file';

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
  /** `estimate`, `none`, or the file's path. */
  readonly label: string;
  next(frame: RgbImage): AlignStep;
}

/** Where the model's input grid lies in the video frame: the centred crop, resized. */
export interface InputGeometry {
  readonly crop: CropRect;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

/**
 * Parses the `--align` value: `estimate`, `none`, or anything else as a file path.
 *
 * @example
 * parseAlign('none'); // { kind: 'none' }
 * parseAlign('poses.json'); // { kind: 'file', path: 'poses.json' }
 */
export function parseAlign(value: string): AlignSpec {
  if (value === 'estimate' || value === 'none') return { kind: value };
  return { kind: 'file', path: value };
}

const IDENTITY: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * Creates the alignment of a run. With `estimate`, each frame is aligned to the one before
 * (features of each frame extracted once) and the pair homographies are chained into frame ->
 * world, the world being the first frame run. A pair that cannot be aligned does not stop the
 * run: the chain carries on as if the camera had not moved, and the step says `restart` so the
 * session takes a keyframe there, with the estimator's reason reported.
 *
 * File homographies are in the video's pixels; they are moved onto the model's input grid (the
 * centred crop, resized: a scale and a shift, `A`) as `A · H · A⁻¹`, which keeps them frame ->
 * world with the world expressed at the model's scale.
 *
 * @example
 * ```ts
 * const alignment = await createFrameAlignment({ kind: 'estimate' }, geometry, 0, 30);
 * for await (const frame of frames) await session.run(input(frame), { homography: alignment.next(frame).homography });
 * ```
 */
export async function createFrameAlignment(
  spec: AlignSpec,
  geometry: InputGeometry,
  start: number,
  count: number,
  estimateOptions: EstimateOptions = { seed: 1 },
): Promise<FrameAlignment> {
  if (spec.kind === 'none') return { label: 'none', next: () => ({ homography: IDENTITY, source: 'identity', restart: false }) };
  if (spec.kind === 'file') {
    const videoHs = await readHomographyFile(spec.path, start, count);
    const a = modelFromVideo(geometry);
    const aInv = invertHomography(a)!;
    const hs = videoHs.map((h) => normalized(composeHomographies(composeHomographies(a, h), aInv)));
    let k = 0;
    return {
      label: spec.path,
      next: () => ({ homography: hs[Math.min(k++, hs.length - 1)]!, source: 'file', restart: false }),
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
