import type { BlockPolicyName } from 'motiondelta';

/** Frames of the trailing execution-rate figure: the target is the last 100 frames of a clip. */
export const RATE_WINDOW = 100;

/** What block mode adds to a frame's figures. */
export interface BlockFrameRecord {
  readonly executedBlocks: number;
  readonly totalBlocks: number;
  /** `executedBlocks / totalBlocks` (1 on keyframes). */
  readonly executedFraction: number;
  /** Milliseconds in the policy (`decide` and `observe`); part of the frame's `ms`. */
  readonly policyMs: number;
}

/** The block-mode settings of a run, as given on the command line. */
export interface BlockSettings {
  readonly policy: BlockPolicyName;
  readonly targetRate: number;
  readonly blockSize: number;
  readonly seed: number;
}

/** Block mode's run-wide figures. */
export interface BlockRunInfo extends BlockSettings {
  /** Mean executed fraction over the frames after the first (a keyframe, always everything). */
  readonly meanRate: number | undefined;
  /** Executed fraction over the last `rateWindowFrames` frames (the first frame left out). */
  readonly lastRate: number | undefined;
  readonly rateWindowFrames: number;
  /** Mean milliseconds per frame in the policy, and their share of the mode's time. */
  readonly policyMs: number;
  readonly policyShare: number;
  /** Where the RL policy's forward pass ran (a backend id), when the policy is `rl` and it ran. */
  readonly policyBackend?: string;
}

/**
 * The run-wide block figures from per-frame records: the mean and trailing execution rate, the
 * policy's time. The first frame is left out of the rates: it executes everything whatever the
 * policy, and on a short run would pull the mean far above the target.
 *
 * @example
 * ```ts
 * blockRunInfo({ policy: 'random', targetRate: 0.5, blockSize: 64, seed: 1 }, [
 *   { executedBlocks: 4, totalBlocks: 4, executedFraction: 1, policyMs: 0.1 },
 *   { executedBlocks: 2, totalBlocks: 4, executedFraction: 0.5, policyMs: 0.1 },
 * ], 10).meanRate; // 0.5
 * ```
 */
export function blockRunInfo(
  settings: BlockSettings,
  frames: readonly BlockFrameRecord[],
  modeMs: number,
  policyBackend?: string,
): BlockRunInfo {
  const after = frames.slice(1);
  const rate = (list: readonly BlockFrameRecord[]): number | undefined => {
    const total = list.reduce((a, f) => a + f.totalBlocks, 0);
    return total > 0 ? list.reduce((a, f) => a + f.executedBlocks, 0) / total : undefined;
  };
  const window = after.slice(Math.max(0, after.length - RATE_WINDOW));
  const policyMs = frames.reduce((a, f) => a + f.policyMs, 0);
  return {
    ...settings,
    meanRate: rate(after),
    lastRate: rate(window),
    rateWindowFrames: window.length,
    policyMs: frames.length > 0 ? policyMs / frames.length : 0,
    policyShare: modeMs > 0 ? policyMs / modeMs : 0,
    ...(policyBackend !== undefined && { policyBackend }),
  };
}

/**
 * The executed fraction over the `window` frames ending at each frame (fewer at the start; the
 * first frame left out): the "rate over time" line of the report.
 *
 * @example
 * ```ts
 * trailingRates([1, 0.5, 0.25], 2); // [null, 0.5, 0.375]
 * ```
 */
export function trailingRates(fractions: readonly number[], window = RATE_WINDOW): (number | null)[] {
  return fractions.map((_, i) => {
    if (i === 0) return null;
    const part = fractions.slice(Math.max(1, i + 1 - window), i + 1);
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
}
