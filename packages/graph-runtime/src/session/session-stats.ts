import type { SessionMode } from './session-options.js';

/** Per-node figures of a session, accumulated over the frames it ran. */
export interface NodeStats {
  readonly name: string;
  readonly op: string;
  /** Multiply-accumulates done on the last frame. */
  readonly macs: number;
  /** Multiply-accumulates dense inference would do for the same frame. */
  readonly denseMacs: number;
  /** Fraction of output pixels updated on the last frame (1 in dense mode). */
  readonly activeFraction: number;
  /** Milliseconds spent in this node on the last frame. */
  readonly ms: number;
}

/**
 * Why a frame was computed densely from scratch (a keyframe), in every mode. Delta and motion
 * sessions refresh all their state on a keyframe, so whatever the state held before (rounding
 * left by a frame of extreme values, a non-finite value, a half-done failed frame) is gone after it.
 */
export type KeyframeReason =
  /** Dense mode: every frame is computed in full. */
  | 'dense'
  /** The first frame, or the first after `reset()`. */
  | 'first'
  /** The input size changed. */
  | 'shape'
  /**
   * The inputs' largest magnitude since the last keyframe is over `RESYNC_RATIO` (32) times this
   * frame's (after a frame of extreme values, or a fade to black): the float32 rounding the state
   * carries from those values would show against this frame's, so the state is rebuilt.
   */
  | 'resync'
  /** The previous frame's outputs held NaN or infinite values (an overflow inside the network): the state holds them too. */
  | 'non-finite'
  /** The previous frame failed in a kernel; its state was dropped. */
  | 'recovery'
  /** Motion: the camera zoomed beyond `maxScaleChange` relative to the world frame. */
  | 'scale'
  /** Motion: the camera rotated beyond `maxRotation` relative to the world frame. */
  | 'rotation'
  /** Motion: the viewport moved so far that less than `minOverlap` of it stayed (the motion outran the buffers). */
  | 'motion'
  /** Motion: the warped frame covered less than `minCoverage` of the viewport. */
  | 'coverage'
  /** Motion: the viewport offset left the representable world range. */
  | 'world-range'
  /** Block, delta and motion: the frame changed from the previous one by more than `sceneCut` (motion: after alignment). */
  | 'scene-cut'
  /** Motion: the homography's estimate failed, or its RMS error or inlier count was poor (`maxAlignRms`, `minInliers`). */
  | 'alignment'
  /** Motion: the aligned frame differed from the viewport's content by more than `maxResidual` (the homography does not explain the motion). */
  | 'residual'
  /** Block: `requestKeyframe()` asked for it. */
  | 'requested'
  /** Delta: `keyframeInterval` frames had passed since the last keyframe. */
  | 'interval';

/** One frame's totals. */
export interface FrameStats {
  readonly index: number;
  readonly ms: number;
  readonly macs: number;
  readonly denseMacs: number;
  /** Computed densely from scratch (every dense frame; in delta and motion mode see `reason`). */
  readonly keyframe: boolean;
  /** Set exactly when `keyframe` is: why the frame was computed from scratch. */
  readonly reason?: KeyframeReason | undefined;
  /** Delta mode with `refresh`: input pixels sent this frame only because their residue had waited its turn. */
  readonly refreshedPixels?: number;
}

/** What `session.stats()` returns. */
export interface SessionStats {
  readonly mode: SessionMode;
  readonly backend: string;
  readonly frames: readonly FrameStats[];
  readonly nodes: readonly NodeStats[];
}

/** Which pixels of a node's output were updated on the last frame (1 = updated). */
export interface UpdateMask {
  readonly node: string;
  /** [N, H, W] of the node's output (1-D and 2-D outputs count as one row of pixels). */
  readonly shape: readonly [number, number, number];
  readonly mask: Uint8Array;
}

/** How many frames of per-frame statistics a session keeps (older ones are dropped). */
export const FRAME_HISTORY = 10_000;

/** Appends a frame's figures, dropping the oldest beyond {@link FRAME_HISTORY}. */
export function recordFrame(frames: FrameStats[], frame: FrameStats): void {
  frames.push(frame);
  if (frames.length > FRAME_HISTORY) frames.shift();
}
