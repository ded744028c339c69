import type { RunSummary } from './run-summary.js';
import { blockJson, type BlockJson } from './block/block-json.js';

/** JSON has no Infinity: non-finite numbers become null, and `exact` says when that means "identical". */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The `--json` document: aggregates, plus one array per figure with one entry per frame. */
export interface SummaryJson {
  readonly video: string;
  readonly model: string;
  readonly task: string;
  readonly mode: string;
  readonly threshold: number | null;
  readonly inputThreshold: number | null;
  readonly backend: string;
  readonly skippedBackends: readonly { readonly id: string; readonly reason: string }[];
  /** Delta and motion modes: share of the dense MACs in nodes that run sparsely; null in dense mode. */
  readonly sparseMacFraction: number | null;
  /** Delta mode: nodes run densely (no delta form), with the reason and their MACs. */
  readonly islands: readonly { readonly node: string; readonly reason: string; readonly macs: number }[];
  readonly inputSize: readonly [number, number];
  readonly frames: number;
  readonly fps: number;
  readonly denseFps: number;
  readonly speedup: number;
  /** Speedup after the keyframe and `warmupFrames` more (null when the run is too short). */
  readonly steadySpeedup: number | null;
  readonly warmupFrames: number;
  readonly activeFraction: number;
  readonly macsRatio: number;
  /** Mean PSNR (dB) over frames that differ from dense; null when every frame is exact. */
  readonly psnr: number | null;
  /**
   * Worst PSNR of `psnrWindowFrames` consecutive frames (of their mean squared error), the video
   * index its window starts at, the last window's PSNR and the 10th-percentile frame (null where
   * exact or no frames).
   */
  readonly psnrWindowFrames: number | null;
  readonly psnrWorstWindow: number | null;
  readonly psnrWorstWindowStart: number | null;
  readonly psnrLastWindow: number | null;
  readonly psnrP10: number | null;
  /** Frames computed from scratch, by reason (`first`, `scene-cut`, ...). */
  readonly keyframes: Readonly<Record<string, number>>;
  readonly maxAbsError: number;
  /** True when every frame's outputs equal dense exactly (then psnr is null). */
  readonly exact: boolean;
  readonly exactFrames: number;
  readonly perFrame: {
    readonly index: readonly number[];
    readonly ms: readonly number[];
    readonly denseMs: readonly number[];
    readonly activeFraction: readonly number[];
    readonly macs: readonly number[];
    readonly denseMacs: readonly number[];
    /** null where that frame is exact (`perFrame.exact`). */
    readonly psnr: readonly (number | null)[];
    readonly maxAbsError: readonly (number | null)[];
    readonly exact: readonly boolean[];
    /** Why the frame was computed from scratch, or null (dense mode: `dense` on every frame). */
    readonly keyframeReason: readonly (string | null)[];
  };
  /** Motion mode only. */
  readonly motion?: MotionJson;
  /** Block mode only. */
  readonly block?: BlockJson;
}

/** Motion mode's part of the `--json` document; per-frame arrays have one entry per frame. */
export interface MotionJson {
  /** `estimate`, `none`, or the homography file. */
  readonly align: string;
  readonly totalStride: number;
  /** Frames computed densely from scratch (the first, re-anchors, alignment failures). */
  readonly keyframes: number;
  readonly alignFailures: number;
  /** Mean over frames of the fraction of the viewport the frame covered. */
  readonly coverage: number;
  /** Mean over frames of the fraction of output values compared with dense. */
  readonly comparedFraction: number;
  /** Mean milliseconds per frame spent aligning (not part of fps). */
  readonly alignMs: number;
  /** Largest state the session kept, in bytes. */
  readonly stateBytes: number;
  readonly perFrame: {
    /** Viewport origin [y, x] in the session's world. */
    readonly offset: readonly (readonly [number, number])[];
    /** Keyframe reason, or null. */
    readonly keyframeReason: readonly (string | null)[];
    /** `first`, `estimated`, `failed`, `identity` or `file`. */
    readonly align: readonly string[];
    /** Why estimation failed, or null. */
    readonly alignFailure: readonly (string | null)[];
    readonly alignMs: readonly number[];
    readonly coverage: readonly number[];
    /** `measured`, `held` (the previous frame's pose) or `whole-pixel`. */
    readonly pose: readonly string[];
    /** Estimation RMS transfer error (pixels) and inliers, or null where not estimated. */
    readonly alignRms: readonly (number | null)[];
    readonly alignInliers: readonly (number | null)[];
    /** Aligned residual (see `reanchor.maxResidual`), or null where not measured. */
    readonly residual: readonly (number | null)[];
    readonly unveiledFraction: readonly number[];
    readonly comparedFraction: readonly number[];
    readonly stateBytes: readonly number[];
    /** Frame to world homography (row-major 3x3; model input pixels). */
    readonly homography: readonly (readonly number[])[];
  };
}

/**
 * The JSON form of a run summary (sample images left out).
 *
 * @example
 * JSON.stringify(summaryToJson(await runVideo({ video: 'vtest', model: 'selfie', frames: 3 })));
 */
export function summaryToJson(summary: RunSummary): SummaryJson {
  const frames = summary.perFrame;
  return {
    video: summary.video,
    model: summary.model.label,
    task: summary.model.task,
    mode: summary.mode,
    threshold: summary.threshold ?? null,
    inputThreshold: summary.inputThreshold ?? null,
    backend: summary.backend.id,
    skippedBackends: summary.backend.skipped.map((s) => ({ id: s.id, reason: s.reason })),
    sparseMacFraction: summary.sparse?.fraction ?? null,
    islands: summary.sparse?.islands.map((i) => ({ node: i.node, reason: i.reason, macs: i.macs })) ?? [],
    inputSize: summary.inputSize,
    frames: summary.frames,
    fps: summary.fps,
    denseFps: summary.denseFps,
    speedup: summary.speedup,
    steadySpeedup: summary.steadySpeedup ?? null,
    warmupFrames: summary.warmupFrames,
    activeFraction: summary.activeFraction,
    macsRatio: summary.macsRatio,
    psnr: finiteOrNull(summary.psnr),
    psnrWindowFrames: summary.psnrSpread?.frames ?? null,
    psnrWorstWindow: summary.psnrSpread ? finiteOrNull(summary.psnrSpread.worstWindow) : null,
    psnrWorstWindowStart: summary.psnrSpread?.worstWindowStart ?? null,
    psnrLastWindow: summary.psnrSpread ? finiteOrNull(summary.psnrSpread.lastWindow) : null,
    psnrP10: summary.psnrSpread ? finiteOrNull(summary.psnrSpread.p10) : null,
    keyframes: countReasons(frames.map((f) => f.keyframeReason)),
    maxAbsError: summary.maxAbsError,
    exact: summary.exact,
    exactFrames: summary.exactFrames,
    perFrame: {
      index: frames.map((f) => f.index),
      ms: frames.map((f) => f.ms),
      denseMs: frames.map((f) => f.denseMs),
      activeFraction: frames.map((f) => f.activeFraction),
      macs: frames.map((f) => f.macs),
      denseMacs: frames.map((f) => f.denseMacs),
      psnr: frames.map((f) => finiteOrNull(f.psnr)),
      maxAbsError: frames.map((f) => finiteOrNull(f.maxAbsError)),
      exact: frames.map((f) => f.exact),
      keyframeReason: frames.map((f) => f.keyframeReason ?? null),
    },
    ...(summary.motion ? { motion: motionJson(summary) } : {}),
    ...(summary.block ? { block: blockJson(summary.block, summary.perFrame) } : {}),
  };
}

function countReasons(reasons: readonly (string | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of reasons) if (r !== undefined) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

function motionJson(summary: RunSummary): MotionJson {
  const records = summary.perFrame.flatMap((f) => (f.motion ? [f.motion] : []));
  const mean = (pick: (r: (typeof records)[number]) => number): number =>
    records.length > 0 ? records.reduce((acc, r) => acc + pick(r), 0) / records.length : 0;
  return {
    align: summary.motion?.align ?? 'none',
    totalStride: summary.motion?.totalStride ?? 1,
    keyframes: records.filter((r) => r.keyframeReason !== undefined).length,
    alignFailures: records.filter((r) => r.align === 'failed').length,
    coverage: mean((r) => r.coverage),
    comparedFraction: mean((r) => r.comparedFraction),
    alignMs: mean((r) => r.alignMs),
    stateBytes: records.reduce((acc, r) => Math.max(acc, r.stateBytes), 0),
    perFrame: {
      offset: records.map((r) => [r.offset.y, r.offset.x] as const),
      keyframeReason: records.map((r) => r.keyframeReason ?? null),
      align: records.map((r) => r.align),
      alignFailure: records.map((r) => r.alignFailure ?? null),
      alignMs: records.map((r) => r.alignMs),
      coverage: records.map((r) => r.coverage),
      pose: records.map((r) => r.pose),
      alignRms: records.map((r) => r.rms ?? null),
      alignInliers: records.map((r) => r.inliers ?? null),
      residual: records.map((r) => r.residual ?? null),
      unveiledFraction: records.map((r) => r.unveiledFraction),
      comparedFraction: records.map((r) => r.comparedFraction),
      stateBytes: records.map((r) => r.stateBytes),
      homography: records.map((r) => r.homography),
    },
  };
}
