import type { RunSummary } from './run-summary.js';

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
  readonly inputSize: readonly [number, number];
  readonly frames: number;
  readonly fps: number;
  readonly denseFps: number;
  readonly speedup: number;
  readonly activeFraction: number;
  readonly macsRatio: number;
  /** Mean PSNR (dB) over frames that differ from dense; null when every frame is exact. */
  readonly psnr: number | null;
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
    inputSize: summary.inputSize,
    frames: summary.frames,
    fps: summary.fps,
    denseFps: summary.denseFps,
    speedup: summary.speedup,
    activeFraction: summary.activeFraction,
    macsRatio: summary.macsRatio,
    psnr: finiteOrNull(summary.psnr),
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
    },
  };
}
