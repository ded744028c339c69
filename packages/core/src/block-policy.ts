import type { Tensor } from './tensor.js';

/**
 * How block mode cuts a frame into blocks: `rows` x `cols` blocks of `blockSize` input pixels (the
 * last row and column may be partial when the frame is not a multiple of the block size).
 */
export interface BlockGrid {
  /** Model input height and width in pixels. */
  readonly height: number;
  readonly width: number;
  /** Side of a block in input pixels. */
  readonly blockSize: number;
  readonly rows: number;
  readonly cols: number;
}

/** The grid for a frame of `height` x `width` input pixels cut into blocks of `blockSize`. */
export function blockGridOf(height: number, width: number, blockSize: number): BlockGrid {
  return { height, width, blockSize, rows: Math.ceil(height / blockSize), cols: Math.ceil(width / blockSize) };
}

/** What a policy sees before a frame runs. */
export interface BlockPolicyFrame {
  /** Frame index within the session, from 0. */
  readonly index: number;
  /** The model input of this frame (NHWC, batch 1), as the session will run it. */
  readonly input: Tensor;
  readonly grid: BlockGrid;
  /** The previous frame's output (NHWC), the one the policy scores; absent at the first frame. */
  readonly previousOutput?: Tensor;
  /** The previous frame's decisions, row-major over the grid (1 = executed); absent at the first frame. */
  readonly previousDecisions?: Uint8Array;
}

/** A policy's answer for one frame. */
export interface BlockDecision {
  /** Row-major over the grid: 1 = execute (recompute the block), 0 = copy (keep last frame's features). */
  readonly execute: Uint8Array;
  /** The execution probability per block, when the policy has one (for reports and training). */
  readonly probabilities?: Float32Array;
}

/** What a policy learns from after a frame ran (online training, staleness bookkeeping). */
export interface BlockFeedback {
  readonly index: number;
  readonly grid: BlockGrid;
  /** The decisions the frame actually ran with (the session may add blocks, e.g. on a keyframe). */
  readonly executed: Uint8Array;
  /** This frame's output and the previous one (NHWC); `previousOutput` is absent at the first frame. */
  readonly output: Tensor;
  readonly previousOutput?: Tensor;
}

/**
 * Decides per block whether block mode recomputes it or copies last frame's features. Block mode
 * calls `decide` before each frame and `observe` after it; both may be asynchronous. Policies are
 * seeded: the same seed and frames give the same decisions.
 */
export interface BlockPolicy {
  /** A short name for statistics and reports ('all', 'threshold', 'rl', ...). */
  readonly name: string;
  decide(frame: BlockPolicyFrame): BlockDecision | Promise<BlockDecision>;
  observe?(feedback: BlockFeedback): void | Promise<void>;
  /** Forgets per-clip state (last executed frame, running rates); learned weights stay. */
  reset?(): void;
}
