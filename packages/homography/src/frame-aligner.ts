import { type AlignmentResult, type EstimateOptions, estimateHomographyFromFeatures } from './estimate-homography.js';
import { extractFeatures, type FrameFeatures } from './features.js';
import type { ImageInput } from './image.js';

/** Aligns each frame of a stream to the one before it; see {@link createFrameAligner}. */
export interface FrameAligner {
  /**
   * Aligns `frame` to the previous frame pushed: `H` maps pixels of `frame` to pixels of the
   * previous frame, exactly as `estimateHomography(previous, frame, options)` would return it.
   * Returns `null` for the first frame after creation or {@link FrameAligner.reset}.
   */
  push(frame: ImageInput): AlignmentResult | null;
  /** Forgets the previous frame (after a cut, or when frames were skipped). */
  reset(): void;
  /** Features of the last frame pushed, or `null`. */
  readonly previous: FrameFeatures | null;
}

/**
 * A streaming aligner: each frame's features are extracted once and kept for the next pair, so
 * a video costs one feature extraction per frame instead of two per pair (extraction is most of
 * the time of {@link estimateHomography}). `stats.timings.features` of each result is the time
 * spent on the new frame alone.
 *
 * @example
 * ```ts
 * const aligner = createFrameAligner({ seed: 7 });
 * for (const frame of frames) {
 *   const r = aligner.push(frame); // null for the first frame
 *   if (r?.ok) console.log(r.H); // maps this frame's pixels to the previous frame's
 * }
 * ```
 */
export function createFrameAligner(options: EstimateOptions = {}): FrameAligner {
  let previous: FrameFeatures | null = null;
  return {
    push(frame: ImageInput): AlignmentResult | null {
      const t0 = performance.now();
      const next = extractFeatures(frame, options);
      const featureMs = performance.now() - t0;
      const prev = previous;
      previous = next;
      return prev ? estimateHomographyFromFeatures(prev, next, options, featureMs) : null;
    },
    reset(): void {
      previous = null;
    },
    get previous(): FrameFeatures | null {
      return previous;
    },
  };
}
