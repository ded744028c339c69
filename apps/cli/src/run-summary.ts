import type { TensorMap } from '@motiondelta/core';
import type { PoseChoice, SkippedBackend, UpdateMask } from '@motiondelta/graph-runtime';
import type { RgbImage } from '@motiondelta/video-io';
import type { AlignSource } from './motion/frame-alignment.js';
import { PSNR_WINDOW, WARMUP_FRAMES, lastWindow, percentile, steadySpeedup, worstWindow } from './clip-figures.js';
import type { RunMode } from './session-options.js';
import type { BlockFrameRecord, BlockRunInfo } from './block/block-figures.js';
import type { BlockGridRecord } from './block/recording-policy.js';

/** Figures of one frame, mode against dense. */
export interface FrameRecord {
  /** Frame index in the video file. */
  readonly index: number;
  /**
   * Milliseconds the mode's session took for the frame, by its own statistics
   * (`stats().frames[i].ms`: input conversion, alignment and resampling onto the frame excluded).
   */
  readonly ms: number;
  /** Milliseconds the dense session took for the same frame, measured the same way. */
  readonly denseMs: number;
  /** Multiply-accumulates the mode did. */
  readonly macs: number;
  /** Multiply-accumulates dense inference does. */
  readonly denseMacs: number;
  /** Mean over the graph's nodes of the fraction of output pixels updated (1 in dense mode). */
  readonly activeFraction: number;
  /** PSNR against dense in dB (see `compareOutputs`); Infinity when exact. */
  readonly psnr: number;
  readonly maxAbsError: number;
  readonly exact: boolean;
  /** Set when the frame was computed from scratch: why (`first`, `scene-cut`, ...; `dense` in dense mode). */
  readonly keyframeReason?: string;
  /** Motion mode only: where the viewport was and how the frame was aligned. */
  readonly motion?: MotionFrameRecord;
  /** Block mode only: blocks executed and the policy's time. */
  readonly block?: BlockFrameRecord;
}

/**
 * What motion mode adds to a frame's figures. In motion mode `psnr`, `maxAbsError` and `exact`
 * of the frame compare the mode's outputs with dense inference on the raw frame where the
 * viewport's output maps inside the frame (see `compareMappedOutputs`).
 */
export interface MotionFrameRecord {
  /** Frame pixels (model input grid) to world pixels, row-major 3x3 (world = first frame run). */
  readonly homography: readonly number[];
  readonly align: AlignSource;
  /** Why estimation failed, when `align` is `failed` (the session restarted with a keyframe). */
  readonly alignFailure?: string;
  /** Estimation inliers and RMS transfer error in pixels, when `align` is `estimated`. */
  readonly inliers?: number;
  readonly rms?: number;
  /** Milliseconds spent aligning the frame (not part of `ms`). */
  readonly alignMs: number;
  /** Viewport origin in the session's world (model input pixels, multiples of the total stride). */
  readonly offset: { readonly y: number; readonly x: number };
  /** Viewport pixels to world pixels (row-major 3x3): the anchoring frame's homography times the offset. */
  readonly worldFromViewport: readonly number[];
  /** Set on keyframes: why (`first`, `scale`, `rotation`, `motion`, `coverage`, ...). */
  readonly keyframeReason?: string;
  /** Fraction of the viewport the warped frame covered. */
  readonly coverage: number;
  /** Which pose the frame ran with: the measured one, the previous one held, or whole pixels (`alignTolerance`). */
  readonly pose: PoseChoice;
  /** The aligned residual the session measured (see `reanchor.maxResidual`), when it did. */
  readonly residual?: number;
  /** Fraction of viewport pixels new to the viewport on this frame (1 on a keyframe). */
  readonly unveiledFraction: number;
  /** Fraction of output values compared with dense (those whose footprint maps inside the frame). */
  readonly comparedFraction: number;
  /** Bytes of state the session keeps after the frame. */
  readonly stateBytes: number;
}

/** Motion mode's run-wide facts, and small copies of the frames for the report's world canvas. */
export interface MotionRunInfo {
  /** `estimate`, `none`, or the homography file. */
  readonly align: string;
  /** Viewport offsets are multiples of this many input pixels. */
  readonly totalStride: number;
  /** Every frame run, downscaled by `thumbnailScale` (run order). */
  readonly thumbnails: readonly RgbImage[];
  /** Thumbnail pixels per model input pixel (<= 1). */
  readonly thumbnailScale: number;
}

/** A frame kept for the report: the picture the model saw, the mode's outputs, its update masks. */
export interface SampleFrame {
  readonly index: number;
  readonly image: RgbImage;
  readonly outputs: TensorMap;
  /** Delta and motion modes: dense inference's outputs on the same frame, for the error heat map. */
  readonly denseOutputs?: TensorMap;
  readonly masks: readonly UpdateMask[];
  /** Op of each masked node, by node name, for labels. */
  readonly ops: Readonly<Record<string, string>>;
  /** Block mode: the blocks the frame executed, and the policy's probabilities. */
  readonly blockGrid?: BlockGridRecord;
}

/** Everything a run measured. */
export interface RunSummary {
  readonly video: string;
  readonly model: { readonly label: string; readonly task: string; readonly catalogId?: string };
  readonly mode: RunMode;
  readonly threshold?: number;
  readonly inputThreshold?: number;
  readonly backend: { readonly id: string; readonly skipped: readonly SkippedBackend[] };
  /**
   * Delta and motion modes: which part of the model runs sparsely. `fraction` is the share of its
   * dense MACs in nodes whose work follows what changed; `islands` the nodes run densely instead.
   */
  readonly sparse?: {
    readonly fraction: number;
    readonly islands: readonly { readonly node: string; readonly reason: string; readonly macs: number }[];
  };
  /** Model input [height, width]. */
  readonly inputSize: readonly [number, number];
  readonly frames: number;
  /** Frames per second of the mode (session time only: decoding excluded). */
  readonly fps: number;
  /** Frames per second of dense inference on the same frames and backend. */
  readonly denseFps: number;
  /** Dense time over mode time, measured in this run. */
  readonly speedup: number;
  /**
   * Dense time over mode time after the first frame (the keyframe) and `warmupFrames` more:
   * the speed a long run settles at (see `steadySpeedup`); undefined when the run is too short.
   */
  readonly steadySpeedup: number | undefined;
  /** Frames after the keyframe left out of `steadySpeedup`. */
  readonly warmupFrames: number;
  /**
   * PSNR beyond the mean (see `clip-figures.ts`): the worst PSNR of `frames` consecutive frames
   * (of their mean squared error; and the video index of its first frame), that of the last such
   * window, and the 10th-percentile frame. Infinity where every frame involved is exact; undefined
   * for no frames.
   */
  readonly psnrSpread: PsnrSpread | undefined;
  /** Mean over frames of the per-frame active fraction. */
  readonly activeFraction: number;
  /** Total MACs done over total dense MACs. */
  readonly macsRatio: number;
  /** Mean PSNR over the frames that differ from dense; Infinity when every frame is exact. */
  readonly psnr: number;
  readonly maxAbsError: number;
  /** True when every frame's outputs equal the dense outputs exactly. */
  readonly exact: boolean;
  readonly exactFrames: number;
  readonly perFrame: readonly FrameRecord[];
  readonly samples: readonly SampleFrame[];
  /** Motion mode only. */
  readonly motion?: MotionRunInfo;
  /** Block mode only: the policy's settings, execution rate against target, policy time. */
  readonly block?: BlockRunInfo;
}

/** See `RunSummary.psnrSpread`. */
export interface PsnrSpread {
  /** Frames per window (30, or the run's length when shorter). */
  readonly frames: number;
  readonly worstWindow: number;
  /** Video frame index where the worst window starts. */
  readonly worstWindowStart: number;
  readonly lastWindow: number;
  readonly p10: number;
}

/** The aggregate figures of a run, from its per-frame records. */
export function aggregate(
  records: readonly FrameRecord[],
): Pick<
  RunSummary,
  | 'frames'
  | 'fps'
  | 'denseFps'
  | 'speedup'
  | 'steadySpeedup'
  | 'warmupFrames'
  | 'activeFraction'
  | 'macsRatio'
  | 'psnr'
  | 'psnrSpread'
  | 'maxAbsError'
  | 'exact'
  | 'exactFrames'
> {
  const sum = (pick: (r: FrameRecord) => number): number => records.reduce((acc, r) => acc + pick(r), 0);
  const n = records.length;
  const ms = sum((r) => r.ms);
  const denseMs = sum((r) => r.denseMs);
  const inexact = records.filter((r) => !r.exact);
  const denseMacs = sum((r) => r.denseMacs);
  const psnr = records.map((r) => r.psnr);
  const worst = worstWindow(psnr, PSNR_WINDOW);
  return {
    frames: n,
    fps: ms > 0 ? (n * 1000) / ms : 0,
    denseFps: denseMs > 0 ? (n * 1000) / denseMs : 0,
    speedup: ms > 0 ? denseMs / ms : 0,
    steadySpeedup: steadySpeedup(records, WARMUP_FRAMES),
    warmupFrames: WARMUP_FRAMES,
    activeFraction: n > 0 ? sum((r) => r.activeFraction) / n : 0,
    macsRatio: denseMacs > 0 ? sum((r) => r.macs) / denseMacs : 0,
    // Exact frames (always the first one in delta mode) would make a mean of dB values infinite.
    psnr: inexact.length === 0 ? Number.POSITIVE_INFINITY : inexact.reduce((acc, r) => acc + r.psnr, 0) / inexact.length,
    psnrSpread: worst && {
      frames: worst.frames,
      worstWindow: worst.psnr,
      worstWindowStart: records[worst.start]!.index,
      lastWindow: lastWindow(psnr, PSNR_WINDOW)!,
      p10: percentile(psnr, 10)!,
    },
    maxAbsError: records.reduce((acc, r) => Math.max(acc, r.maxAbsError), 0),
    exact: inexact.length === 0,
    exactFrames: n - inexact.length,
  };
}
