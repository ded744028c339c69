/**
 * @packageDocumentation
 * Block policies for MotionDelta's block mode: which blocks of a frame to recompute and which to
 * copy from the previous frame. `all`, `none`, `random`, `threshold` and `rl` (BlockCopy's policy
 * network, trained online by REINFORCE without labels), all behind `BlockPolicy` from
 * `@motiondelta/core`, all seeded.
 */
export { AllPolicy, NonePolicy } from './fixed-policies.js';
export { RandomPolicy } from './random-policy.js';
export { ThresholdPolicy, type ThresholdOptions } from './threshold-policy.js';
export { MAX_POLICY_PIXELS, RlPolicy, type RlPolicyOptions, type RlPolicyStats } from './rl-policy.js';
export { DEFAULT_QUANTUM, type RateOptions } from './policy-options.js';
export { quantumBlocks, roundUpCount, roundUpExecuted } from './round-up-executed.js';
export { blockEnergy } from './block-energy.js';
export { GAIN_KINDS, informationGain, type GainKind, type GainMap } from './information-gain.js';
export { gainPerBlock, type GainPool } from './gain-per-block.js';
export { DEFAULT_ARCHITECTURE, inputChannels, parameterSpecs, type ParameterSpec, type PolicyArchitecture } from './net/architecture.js';
export type { PolicyWeights } from './net/init-weights.js';
export { buildPolicyGraph, POLICY_INPUT, POLICY_LOGITS } from './net/policy-graph.js';
export { graphLogits, trainingLogits, type PolicyInput } from './net/policy-logits.js';
export {
  DEFAULT_MAX_WEIGHTS_BYTES,
  WEIGHTS_MAGIC,
  WEIGHTS_VERSION,
  decodePolicyWeights,
  encodePolicyWeights,
  type PolicyWeightsFile,
} from './weights-file.js';
