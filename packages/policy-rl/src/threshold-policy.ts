import { OptionError, type BlockDecision, type BlockFeedback, type BlockPolicy, type BlockPolicyFrame } from '@motiondelta/core';
import { blockEnergy } from './block-energy.js';
import { checkFrame, checkMask } from './check-frame.js';
import { ExecutedFrameMemory } from './executed-frame-memory.js';
import { checkFraction, checkSeed, DEFAULT_QUANTUM } from './policy-options.js';
import { quantumBlocks, roundUpCount, roundUpExecuted } from './round-up-executed.js';
import { createRng } from '@motiondelta/core';

/** Options of {@link ThresholdPolicy}: a target rate, an energy threshold, or both. */
export interface ThresholdOptions {
  /** Executes this fraction of the blocks, those with the most energy (rounded to the quantum). */
  readonly targetRate?: number;
  /**
   * Blocks whose energy (mean squared input difference against their last executed frame, in the
   * input's own units squared) is at or below this never execute on their own: with a target rate,
   * a static scene then runs below the target; without one, every block above it executes.
   */
  readonly energyThreshold?: number;
  /** See {@link RateOptions.quantum}. */
  readonly quantum?: number;
  /** Unused by the ranking itself (it is deterministic); kept so every policy takes a seed. */
  readonly seed?: number;
}

/**
 * Ranks blocks by frame-difference energy against the last frame that executed each of them and
 * executes the top ones. Ties (a static scene) go to the block that has copied longest, so every
 * block is refreshed in turn. Deterministic: the same frames give the same decisions.
 *
 * @example
 * ```ts
 * import { ThresholdPolicy } from '@motiondelta/policy-rl';
 * const policy = new ThresholdPolicy({ targetRate: 0.4 });
 * const alsoStatic = new ThresholdPolicy({ targetRate: 0.4, energyThreshold: 1e-4 });
 * ```
 */
export class ThresholdPolicy implements BlockPolicy {
  readonly name = 'threshold';
  readonly targetRate: number | undefined;
  readonly energyThreshold: number | undefined;
  readonly quantum: number;
  private readonly memory = new ExecutedFrameMemory();
  private pending: { input: Float32Array; shape: readonly number[]; execute: Uint8Array } | undefined;
  private readonly seed: number;

  constructor(options: ThresholdOptions) {
    if (
      options === undefined ||
      typeof options !== 'object' ||
      (options.targetRate === undefined && options.energyThreshold === undefined)
    ) {
      throw new OptionError("The 'threshold' policy needs a targetRate in [0, 1], an energyThreshold >= 0, or both.");
    }
    this.targetRate = options.targetRate === undefined ? undefined : checkFraction('threshold: targetRate', options.targetRate);
    const t = options.energyThreshold;
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0)) {
      throw new OptionError(`threshold: energyThreshold must be a finite number >= 0; got ${String(t)}.`);
    }
    this.energyThreshold = t;
    this.quantum = checkFraction('threshold: quantum', options.quantum ?? DEFAULT_QUANTUM);
    this.seed = checkSeed(options.seed);
  }

  decide(frame: BlockPolicyFrame): BlockDecision {
    const { grid } = frame;
    const { channels } = checkFrame(this.name, frame.input, grid);
    if (this.pending !== undefined) this.remember(grid, frame.previousDecisions ?? this.pending.execute);
    const n = grid.rows * grid.cols;
    const execute = new Uint8Array(n);
    let probabilities: Float32Array;
    if (frame.previousOutput === undefined || !this.memory.holds(grid, channels)) {
      execute.fill(1);
      probabilities = new Float32Array(n).fill(1);
    } else {
      const energy = blockEnergy(frame.input.data, this.memory.pixels, grid, channels);
      const staleness = this.memory.staleness;
      const ranking = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => energy[b]! - energy[a]! || staleness[b]! - staleness[a]! || a - b,
      );
      const above = this.energyThreshold === undefined ? n : ranking.filter((i) => energy[i]! > this.energyThreshold!).length;
      const wanted = this.targetRate === undefined ? n : roundUpCount(Math.round(this.targetRate * n), quantumBlocks(n, this.quantum), n);
      const count = Math.min(wanted, above);
      for (let k = 0; k < count; k++) execute[ranking[k]!] = 1;
      // The rounding fills with the next-ranked blocks, so it never needs random numbers.
      roundUpExecuted(execute, this.quantum, createRng(this.seed), ranking);
      probabilities = energyScores(energy);
    }
    this.pending = { input: new Float32Array(frame.input.data), shape: frame.input.shape, execute };
    return { execute, probabilities };
  }

  observe(feedback: BlockFeedback): void {
    checkMask(this.name, 'feedback', feedback.executed, feedback.grid);
    if (this.pending !== undefined) this.remember(feedback.grid, feedback.executed);
  }

  reset(): void {
    this.memory.clear();
    this.pending = undefined;
  }

  private remember(grid: BlockPolicyFrame['grid'], executed: Uint8Array): void {
    const p = this.pending!;
    this.memory.record({ data: p.input, shape: p.shape }, grid, executed);
    this.pending = undefined;
  }
}

/** Energies scaled to [0, 1] by the frame's largest, for reports (the policy has no probabilities). */
function energyScores(energy: Float64Array): Float32Array {
  let max = 0;
  for (const e of energy) max = Math.max(max, e);
  const out = new Float32Array(energy.length);
  if (max > 0) for (let i = 0; i < energy.length; i++) out[i] = energy[i]! / max;
  return out;
}
