import { createRng, type BlockDecision, type BlockPolicy, type BlockPolicyFrame, type Rng } from '@motiondelta/core';
import { checkFrame } from './check-frame.js';
import { resolveRate, type RateOptions, type ResolvedRate } from './policy-options.js';
import { roundUpExecuted } from './round-up-executed.js';

/**
 * Executes each block independently with probability `targetRate` (a seeded Bernoulli draw), the
 * count rounded up to the quantum; the first frame executes everything. The baseline a learned
 * policy must beat at the same rate.
 *
 * @example
 * ```ts
 * import { RandomPolicy } from '@motiondelta/policy-rl';
 * const policy = new RandomPolicy({ targetRate: 0.4, seed: 1 });
 * ```
 */
export class RandomPolicy implements BlockPolicy {
  readonly name = 'random';
  readonly options: ResolvedRate;
  private rng: Rng;

  constructor(options: RateOptions) {
    this.options = resolveRate(options, 'random');
    this.rng = createRng(this.options.seed);
  }

  decide(frame: BlockPolicyFrame): BlockDecision {
    checkFrame(this.name, frame.input, frame.grid);
    const n = frame.grid.rows * frame.grid.cols;
    const p = frame.previousOutput === undefined ? 1 : this.options.targetRate;
    const execute = new Uint8Array(n);
    for (let i = 0; i < n; i++) execute[i] = this.rng.next() < p ? 1 : 0;
    roundUpExecuted(execute, this.options.quantum, this.rng);
    return { execute, probabilities: new Float32Array(n).fill(p) };
  }

  /** Restarts the random sequence from the seed. */
  reset(): void {
    this.rng = createRng(this.options.seed);
  }
}
