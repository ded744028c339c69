import { OptionError, type BlockPolicy } from '@motiondelta/core';
import {
  AllPolicy,
  NonePolicy,
  RandomPolicy,
  RlPolicy,
  ThresholdPolicy,
  type GainKind,
  type RlPolicyOptions,
} from '@motiondelta/policy-rl';

/** The policies block mode knows by name. */
export type BlockPolicyName = 'rl' | 'threshold' | 'random' | 'all' | 'none';

/** Every {@link BlockPolicyName}, for option checks and help texts. */
export const BLOCK_POLICY_NAMES: readonly BlockPolicyName[] = ['rl', 'threshold', 'random', 'all', 'none'];

/** What {@link createPolicy} passes on to the policy it makes. */
export interface BlockPolicyOptions {
  /** Fraction of blocks to execute per frame, in [0, 1]; required by `rl`, `random` and `threshold` (unless it has an `energyThreshold`). */
  readonly targetRate?: number;
  /** Seed of the policy's random numbers. */
  readonly seed?: number;
  /** Rounding of the executed count, a fraction of the grid (1/16 by default, 0 for none). */
  readonly quantum?: number;
  /** `threshold`: blocks whose energy is at or below this never execute on their own. */
  readonly energyThreshold?: number;
  /** `rl`: how the model's output is read (segmentation `softmax`/`sigmoid`, `heatmap`, `regression`, `generic`). */
  readonly gain?: GainKind;
  /** `rl`: trained weights (a file `RlPolicy.save()` wrote) to start from instead of fresh ones. */
  readonly weights?: Uint8Array;
  /** `rl`: everything else `RlPolicy` takes (learning rate, gamma, architecture, backend...). */
  readonly rl?: Omit<RlPolicyOptions, 'targetRate' | 'seed' | 'quantum' | 'gain'>;
}

/**
 * Resolves block mode's `policy` option: a name makes that policy with `options`, a policy object
 * is returned as it is. Throws OptionError for an unknown name or missing target rate.
 *
 * @example
 * ```ts
 * import { createPolicy } from 'motiondelta';
 * const policy = createPolicy('rl', { targetRate: 0.4, seed: 1, gain: 'softmax' });
 * const same = createPolicy(policy, {}); // a BlockPolicy passes through
 * ```
 */
export function createPolicy(policy: BlockPolicyName | BlockPolicy, options: BlockPolicyOptions = {}): BlockPolicy {
  if (typeof policy === 'object' && policy !== null) {
    if (typeof policy.decide !== 'function')
      throw new OptionError('policy must be a policy name or an object with a decide(frame) method.');
    return policy;
  }
  const common = {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.quantum !== undefined ? { quantum: options.quantum } : {}),
  };
  // The policies check the rate themselves (and name what they accept).
  const rate = { targetRate: options.targetRate as number, ...common };
  switch (policy) {
    case 'all':
      return new AllPolicy();
    case 'none':
      return new NonePolicy();
    case 'random':
      return new RandomPolicy(rate);
    case 'threshold':
      return new ThresholdPolicy({
        ...common,
        ...(options.targetRate !== undefined ? { targetRate: options.targetRate } : {}),
        ...(options.energyThreshold !== undefined ? { energyThreshold: options.energyThreshold } : {}),
      });
    case 'rl': {
      const rl: RlPolicyOptions = { ...options.rl, ...rate, ...(options.gain !== undefined ? { gain: options.gain } : {}) };
      return options.weights !== undefined ? RlPolicy.load(options.weights, rl) : new RlPolicy(rl);
    }
    default:
      throw new OptionError(
        `policy must be one of ${BLOCK_POLICY_NAMES.map((n) => `'${n}'`).join(', ')} or a BlockPolicy object; got ${JSON.stringify(policy)}.`,
      );
  }
}
