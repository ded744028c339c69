import type { BlockDecision, BlockPolicy, BlockPolicyFrame } from '@motiondelta/core';

/**
 * Executes every block of every frame: block mode then computes what dense mode computes (the
 * baseline other policies are measured against).
 *
 * @example
 * ```ts
 * import { AllPolicy } from '@motiondelta/policy-rl';
 * const policy = new AllPolicy();
 * ```
 */
export class AllPolicy implements BlockPolicy {
  readonly name = 'all';
  decide(frame: BlockPolicyFrame): BlockDecision {
    const n = frame.grid.rows * frame.grid.cols;
    return { execute: new Uint8Array(n).fill(1), probabilities: new Float32Array(n).fill(1) };
  }
}

/**
 * Executes every block of the first frame and none afterwards: the output freezes (the lower bound
 * of cost and of quality).
 *
 * @example
 * ```ts
 * import { NonePolicy } from '@motiondelta/policy-rl';
 * const policy = new NonePolicy();
 * ```
 */
export class NonePolicy implements BlockPolicy {
  readonly name = 'none';
  decide(frame: BlockPolicyFrame): BlockDecision {
    const n = frame.grid.rows * frame.grid.cols;
    // Nothing can be copied before a first output exists.
    const first = frame.previousOutput === undefined;
    return { execute: new Uint8Array(n).fill(first ? 1 : 0), probabilities: new Float32Array(n).fill(first ? 1 : 0) };
  }
}
