import type { FrameRecord } from '../run-summary.js';
import { trailingRates, type BlockRunInfo } from './block-figures.js';

/** Block mode's part of the `--json` document; per-frame arrays have one entry per frame. */
export interface BlockJson {
  readonly policy: string;
  readonly targetRate: number;
  readonly blockSize: number;
  readonly seed: number;
  /** Mean executed fraction after the first frame (a keyframe); null with one frame. */
  readonly meanRate: number | null;
  /** Executed fraction over the last `rateWindowFrames` frames (first frame left out). */
  readonly lastRate: number | null;
  readonly rateWindowFrames: number;
  /** Mean milliseconds per frame in the policy (part of `ms`), and their share of the mode's time. */
  readonly policyMs: number;
  readonly policyShare: number;
  /** Backend of the rl policy's forward pass; null for other policies. */
  readonly policyBackend: string | null;
  readonly perFrame: {
    readonly executedFraction: readonly number[];
    readonly executedBlocks: readonly number[];
    readonly totalBlocks: readonly number[];
    readonly policyMs: readonly number[];
    /** Executed fraction over the 100 frames ending at each frame (null on the first). */
    readonly trailingRate: readonly (number | null)[];
  };
}

/**
 * The JSON form of block mode's figures.
 *
 * @example
 * ```ts
 * const json = blockJson(summary.block!, summary.perFrame);
 * console.log(json.lastRate, json.targetRate);
 * ```
 */
export function blockJson(info: BlockRunInfo, frames: readonly FrameRecord[]): BlockJson {
  const records = frames.flatMap((f) => (f.block ? [f.block] : []));
  const fractions = records.map((r) => r.executedFraction);
  return {
    policy: info.policy,
    targetRate: info.targetRate,
    blockSize: info.blockSize,
    seed: info.seed,
    meanRate: info.meanRate ?? null,
    lastRate: info.lastRate ?? null,
    rateWindowFrames: info.rateWindowFrames,
    policyMs: info.policyMs,
    policyShare: info.policyShare,
    policyBackend: info.policyBackend ?? null,
    perFrame: {
      executedFraction: fractions,
      executedBlocks: records.map((r) => r.executedBlocks),
      totalBlocks: records.map((r) => r.totalBlocks),
      policyMs: records.map((r) => r.policyMs),
      trailingRate: trailingRates(fractions),
    },
  };
}
