import type { MachineInfo } from '../models/bench-report.js';
import type { OutputError } from '../models/output-error.js';

/** The error of motion frames against dense inference on the raw frames, and how much was compared. */
export interface MappedError extends OutputError {
  /** Fraction of output values compared (those whose footprint centre lies on the frame). */
  readonly comparedFraction: number;
}

/** Timing and work of one mode over a row's timed frames. */
export interface ModeFigures {
  /** Every timed frame's wall-clock ms around `session.run`, in run order. */
  readonly samplesMs: readonly number[];
  /** Mean ms per frame (keyframes included: a re-anchor is part of motion mode's cost). */
  readonly meanMs: number;
  readonly medianMs: number;
  /** MACs done over dense MACs, summed over the timed frames. */
  readonly macsRatio: number;
}

/** One model x clip x backend row of the motion suite. */
export interface MotionBenchRow {
  readonly model: string;
  readonly clip: string;
  readonly truth: 'estimated' | 'exact';
  /** First frame of the source clip (the untimed keyframe). */
  readonly startFrame: number;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
  readonly backend: string;
  readonly threads: number;
  readonly threshold: number;
  readonly timedFrames: number;
  readonly dense: ModeFigures;
  readonly delta: ModeFigures & { readonly error: OutputError };
  readonly motion: ModeFigures & {
    /** Against dense inference on the raw frame, outputs mapped back (its floor: the warp and the frame border). */
    readonly error: MappedError;
    /**
     * Against the threshold-0 motion session on the same frame, value for value: what the
     * threshold costs (motion at 0 equals dense inference on the aligned viewport). Comparable
     * with `delta.error`, which is delta's thresholding error.
     */
    readonly thresholdError: OutputError;
    /** Timed frames that were keyframes, by reason. */
    readonly keyframes: Readonly<Record<string, number>>;
    /** Largest state kept, bytes. */
    readonly stateBytes: number;
  };
  /** Delta mean time over motion mean time. */
  readonly motionVsDelta: number;
  /** Dense mean time over motion mean time. */
  readonly motionVsDense: number;
  readonly deltaVsDense: number;
  readonly alignFailures: number;
  readonly alignMs: number;
}

export interface MotionBenchReport {
  readonly suite: 'motion';
  readonly date: string;
  readonly machine: MachineInfo;
  readonly command: string;
  readonly rows: readonly MotionBenchRow[];
}
