import type { ActivationSpec, Tensor } from '@motiondelta/core';
import { makeNode, type Graph, type GraphNode } from '@motiondelta/graph-runtime';
import { inputChannels, networkLayout, type ConvSpec, type PolicyArchitecture } from './architecture.js';
import type { PolicyWeights } from './init-weights.js';

/** Name of the policy graph's input ([1, rows*ppb, cols*ppb, channels]) and output ([1, rows, cols, 1] logits). */
export const POLICY_INPUT = 'policy_input';
export const POLICY_LOGITS = 'block_logits';

const RELU: ActivationSpec = { kind: 'relu' };

/**
 * The policy network as a MotionDelta graph, so that its forward pass runs on any backend of the
 * runtime (the same convolutions and fused ReLUs as the training network in `policy-network.ts`).
 * Weights are shared, not copied: rebuild the graph after a training step replaced them.
 */
export function buildPolicyGraph(a: PolicyArchitecture, weights: PolicyWeights): Graph {
  const layout = networkLayout(a);
  const nodes: GraphNode[] = [];
  const constants = new Map<string, Tensor>();
  const conv = (spec: ConvSpec, input: string, output: string, relu: boolean): string => {
    const w = `${spec.name}.weight`;
    const b = `${spec.name}.bias`;
    constants.set(w, { data: weights.get(w)!, shape: [spec.kernel, spec.kernel, spec.inChannels, spec.outChannels] });
    constants.set(b, { data: weights.get(b)!, shape: [spec.outChannels] });
    const p = spec.kernel === 3 ? 1 : 0;
    nodes.push(
      makeNode(
        spec.name,
        'Conv2D',
        {
          kernel: [spec.kernel, spec.kernel],
          strides: [spec.stride, spec.stride],
          dilations: [1, 1],
          pads: [p, p, p, p],
          autoPad: 'explicit',
          groups: 1,
          ...(relu ? { activation: RELU } : {}),
        },
        [input, w, b],
        [output],
      ),
    );
    return output;
  };
  let x = conv(layout.stem, POLICY_INPUT, 'stem', true);
  for (const [i, s] of layout.stages.entries()) {
    const name = `stage${i + 1}`;
    const a1 = conv(s.first, x, `${name}.a`, true);
    const a2 = conv(s.second, a1, `${name}.b`, false);
    const shortcut = s.projection ? conv(s.projection, x, `${name}.shortcut`, false) : x;
    nodes.push(makeNode(`${name}.add`, 'Add', { activation: RELU }, [a2, shortcut], [name]));
    x = name;
  }
  for (const [i, h] of layout.head.entries()) {
    const last = i === layout.head.length - 1;
    x = conv(h, x, last ? POLICY_LOGITS : h.name, !last);
  }
  return {
    // The graph is built here, not imported; 'tfjs-layers' is the nearest format (its weights are trained with tfjs).
    source: { format: 'tfjs-layers', location: '<policy-rl: BlockCopy policy network>' },
    inputs: [{ name: POLICY_INPUT, shape: [1, null, null, inputChannels(a)], dtype: 'float32' }],
    outputs: [{ name: POLICY_LOGITS, shape: [1, null, null, 1], dtype: 'float32' }],
    nodes,
    constants,
    intConstants: new Map(),
  };
}
