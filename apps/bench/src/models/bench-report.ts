import type { ModelId } from '@motiondelta/data';
import type { BenchClip, BenchMode } from './bench-options.js';
import type { DenseEngineKind } from './dense-engines.js';
import type { OutputError } from './output-error.js';
import type { TimingSummary } from './statistics.js';

/** The machine a run was measured on. */
export interface MachineInfo {
  /** Logical CPUs the process may use. */
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly totalMemoryGiB: number;
  /** 1-minute load average when the run started: how busy the machine already was. */
  readonly loadAverage1m: number;
}

/** One dense engine's timing on a row's frames, measured interleaved with ours. */
export interface EngineTiming extends TimingSummary {
  readonly kind: DenseEngineKind;
  readonly name: string;
  readonly threads: number;
  readonly note?: string;
  /** Our fps / this engine's fps (above 1: we are faster). */
  readonly speedup: number;
}

/** One model x clip x mode x backend measurement. */
export interface ModelBenchRow {
  readonly model: ModelId;
  readonly task: string;
  readonly format: 'onnx' | 'tfjs-graph' | 'tfjs-layers';
  readonly clip: BenchClip;
  /** [1, H, W, 3]. */
  readonly inputShape: readonly number[];
  readonly mode: BenchMode;
  /** The backend that ran (the session's own report). */
  readonly backend: string;
  /** First clip frame fed (warm-up frames first, then the timed ones). */
  readonly startFrame: number;
  readonly warmupFrames: number;
  /** Timed frames per pass. */
  readonly timedFrames: number;
  readonly iterations: number;
  /** Threads asked of the dense engines. */
  readonly threads: number;
  readonly ours: TimingSummary;
  /** The baseline: what speedup and error are measured against. */
  readonly engine: EngineTiming;
  /** Further engines timed on the same frames (for example tfjs-backend-cpu), clearly not the baseline. */
  readonly otherEngines: readonly EngineTiming[];
  /** Mean multiply-accumulates per timed frame, from our session's statistics. */
  readonly macs: { readonly done: number; readonly dense: number; readonly ratio: number | null };
  /** Worst over timed frames and outputs, against the baseline engine's outputs. */
  readonly error: OutputError;
  /** Delta rows: the thresholds used, and the profile file they came from (`--profiles`). */
  readonly threshold?: number;
  readonly inputThreshold?: number;
  readonly profile?: string;
  /**
   * For a profile with an argmax agreement target: the fraction of (timed frame, channel) pairs
   * whose spatial argmax of `output` matches the baseline engine's.
   */
  readonly argmax?: { readonly output: string; readonly agreement: number };
}

/** What `bench models --json` writes. */
export interface ModelsBenchReport {
  readonly suite: 'models';
  /** ISO 8601 time the run started. */
  readonly date: string;
  readonly machine: MachineInfo;
  /** The command line as typed (arguments after the script). */
  readonly command: string;
  readonly rows: readonly ModelBenchRow[];
}
