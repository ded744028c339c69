import type { Tensor } from '@motiondelta/core';
import type { Graph, GraphNode } from '../ir/graph.js';
import { pruneConstants } from './fold-batch-norm.js';
import { collectUses, hasSingleReader } from './graph-uses.js';

/**
 * A constant that scales or shifts every output channel alike or each on its own: a scalar, or
 * one value per channel (shape [C] or [1,1,1,C]). Returns the per-channel values, or undefined.
 */
function perChannel(t: Tensor | undefined, channels: number): Float32Array | undefined {
  if (!t) return undefined;
  const broadcastsPerChannel = t.shape.slice(0, -1).every((d) => d === 1);
  if (t.data.length === 1) return new Float32Array(channels).fill(t.data[0]!);
  if (t.data.length === channels && broadcastsPerChannel) return Float32Array.from(t.data);
  return undefined;
}

/** The output channel of each weight element of a convolution, by the weight layout of its op. */
function outputChannelOf(conv: GraphNode, weight: Tensor): ((index: number) => number) | undefined {
  if (conv.op === 'Conv2D') {
    // [kh, kw, Cin/groups, Cout]: the last axis is the output channel.
    const cout = weight.shape[3]!;
    return (i) => i % cout;
  }
  if (conv.op === 'ConvTranspose2D' && conv.attrs.groups === 1) {
    // [kh, kw, Cin, Cout/groups]; with one group the last axis is the output channel too.
    const cout = weight.shape[3]!;
    return (i) => i % cout;
  }
  return undefined;
}

/**
 * Folds `Conv(x) * s` and `Conv(x) + t` with constant, scalar or per-channel `s` and `t` into the
 * convolution's weights and bias (repeatedly, so `Conv * s + t` becomes one node). Exporters of
 * re-parameterised networks (PP-LCNet's learnable affine blocks in ppocr-det) leave such pairs
 * after every convolution; each folded pair is one node and one delta-state buffer fewer.
 */
export function foldConvAffine(graph: Graph): Graph {
  let g = graph;
  for (;;) {
    const next = foldOnce(g);
    if (next === g) return g;
    g = next;
  }
}

function foldOnce(graph: Graph): Graph {
  const uses = collectUses(graph);
  const constants = new Map(graph.constants);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0]!, n] as const));
  const removed = new Set<GraphNode>();
  const replaced = new Map<GraphNode, GraphNode>();
  for (const op of graph.nodes) {
    if (op.op !== 'Mul' && op.op !== 'Add') continue;
    if (op.attrs.activation) continue;
    const constIndex = op.inputs.findIndex((name) => constants.has(name));
    if (constIndex < 0 || op.inputs.length !== 2) continue;
    const conv = producers.get(op.inputs[1 - constIndex]!);
    if (!conv || (conv.op !== 'Conv2D' && conv.op !== 'ConvTranspose2D') || conv.attrs.activation) continue;
    if (replaced.has(conv) || removed.has(conv) || !hasSingleReader(uses, conv.outputs[0]!)) continue;
    const weight = constants.get(conv.inputs[1]!);
    const channelOf = weight && outputChannelOf(conv, weight);
    if (!weight || !channelOf) continue;
    const cout = conv.op === 'Conv2D' ? weight.shape[3]! : weight.shape[3]! * conv.attrs.groups;
    const factor = perChannel(constants.get(op.inputs[constIndex]!), cout);
    if (!factor) continue;

    const bias = conv.inputs[2] ? constants.get(conv.inputs[2]) : undefined;
    const newBias = new Float32Array(cout);
    if (bias) newBias.set(bias.data);
    let newWeight = weight.data;
    if (op.op === 'Mul') {
      newWeight = new Float32Array(weight.data);
      for (let i = 0; i < newWeight.length; i++) newWeight[i] = newWeight[i]! * factor[channelOf(i)]!;
      for (let o = 0; o < cout; o++) newBias[o] = newBias[o]! * factor[o]!;
    } else {
      for (let o = 0; o < cout; o++) newBias[o] = newBias[o]! + factor[o]!;
    }
    // Each fold names its constants after the node it removes, so repeated folds never collide.
    const weightName = op.op === 'Mul' ? `${op.name}/folded_weight` : conv.inputs[1]!;
    const biasName = `${op.name}/folded_bias`;
    if (op.op === 'Mul') constants.set(weightName, { data: newWeight, shape: weight.shape });
    constants.set(biasName, { data: newBias, shape: [cout] });
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0]!, weightName, biasName], outputs: op.outputs } as GraphNode);
    removed.add(op);
  }
  if (removed.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
  return pruneConstants({ ...graph, nodes, constants });
}
