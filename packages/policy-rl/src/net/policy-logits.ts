import type { Backend } from '@motiondelta/core';
import { runGraphDense, type Graph } from '@motiondelta/graph-runtime';
import type { PolicyArchitecture } from './architecture.js';
import type { PolicyWeights } from './init-weights.js';
import { POLICY_INPUT, POLICY_LOGITS } from './policy-graph.js';
import { PolicyNetwork } from './policy-network.js';

/** A network input as `buildPolicyInput` makes it: [1, rows*ppb, cols*ppb, C]. */
export interface PolicyInput {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Block logits (row-major over the grid) from the policy graph on a MotionDelta backend.
 *
 * @example
 * ```ts
 * import { ReferenceBackend } from '@motiondelta/graph-runtime';
 * import { buildPolicyGraph, graphLogits, RlPolicy } from '@motiondelta/policy-rl';
 * const policy = new RlPolicy({ targetRate: 0.4 });
 * const graph = buildPolicyGraph(policy.architecture, policy.weights());
 * const logits = await graphLogits(graph, { data: new Float32Array(64 * 64 * 10), shape: [1, 64, 64, 10] }, new ReferenceBackend());
 * ```
 */
export async function graphLogits(graph: Graph, input: PolicyInput, backend: Backend): Promise<Float32Array> {
  const out = await runGraphDense(graph, { [POLICY_INPUT]: { data: input.data, shape: input.shape } }, backend);
  return out[POLICY_LOGITS]!.data;
}

/**
 * Block logits from the training network (plain TypeScript, the one gradients are taken through).
 *
 * @example
 * ```ts
 * import { RlPolicy, trainingLogits } from '@motiondelta/policy-rl';
 * const policy = new RlPolicy({ targetRate: 0.4 });
 * const logits = trainingLogits(policy.architecture, policy.weights(), { data: new Float32Array(64 * 64 * 10), shape: [1, 64, 64, 10] });
 * ```
 */
export function trainingLogits(a: PolicyArchitecture, weights: PolicyWeights, input: PolicyInput): Float32Array {
  const [n, h, w, c] = input.shape as [number, number, number, number];
  return new PolicyNetwork(a, weights).forward({ data: input.data, n, h, w, c }).data;
}
