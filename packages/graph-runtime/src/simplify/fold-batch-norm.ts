import type { Tensor } from '@motiondelta/core';
import type { Graph, GraphNode } from '../ir/graph.js';
import { collectUses, hasSingleReader } from './graph-uses.js';

/**
 * Folds `BatchNorm(Conv2D(x))` into the convolution's weights and bias when the BatchNorm's
 * parameters are constants and the convolution has no fused activation and no other reader.
 * In delta mode this matters beyond speed: a folded BatchNorm adds no node and no state.
 */
export function foldBatchNorm(graph: Graph): Graph {
  const uses = collectUses(graph);
  const constants = new Map(graph.constants);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0]!, n] as const));
  const removed = new Set<GraphNode>();
  const replaced = new Map<GraphNode, GraphNode>();

  for (const bn of graph.nodes) {
    if (bn.op !== 'BatchNorm') continue;
    const conv = producers.get(bn.inputs[0]!);
    if (!conv || conv.op !== 'Conv2D' || conv.attrs.activation || !hasSingleReader(uses, conv.outputs[0]!)) continue;
    const [scale, shift, mean, variance] = bn.inputs.slice(1).map((n) => constants.get(n));
    const weight = constants.get(conv.inputs[1]!);
    if (!scale || !shift || !mean || !variance || !weight) continue;
    const cout = weight.shape[3]!;
    if ([scale, shift, mean, variance].some((t) => t.data.length !== cout)) continue;

    const bias = conv.inputs[2] ? constants.get(conv.inputs[2]) : undefined;
    const newWeight = new Float32Array(weight.data);
    const newBias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      const k = scale.data[o]! / Math.sqrt(variance.data[o]! + bn.attrs.epsilon);
      for (let i = o; i < newWeight.length; i += cout) newWeight[i] = newWeight[i]! * k;
      newBias[o] = ((bias?.data[o] ?? 0) - mean.data[o]!) * k + shift.data[o]!;
    }
    const weightName = `${conv.name}/folded_weight`;
    const biasName = `${conv.name}/folded_bias`;
    constants.set(weightName, { data: newWeight, shape: weight.shape } satisfies Tensor);
    constants.set(biasName, { data: newBias, shape: [cout] } satisfies Tensor);
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0]!, weightName, biasName], outputs: bn.outputs });
    removed.add(bn);
  }
  if (removed.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
  return pruneConstants({ ...graph, nodes, constants });
}

/** Drops constants no node reads any more (the pre-fold weights). */
export function pruneConstants(graph: Graph): Graph {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs));
  const constants = new Map([...graph.constants].filter(([name]) => read.has(name)));
  const intConstants = new Map([...graph.intConstants].filter(([name]) => read.has(name)));
  return { ...graph, constants, intConstants };
}
