import type { Graph, GraphNode } from '../ir/graph.js';
import { collectUses, hasSingleReader } from './graph-uses.js';

const FUSABLE = new Set<GraphNode['op']>(['Conv2D', 'ConvTranspose2D', 'Gemm', 'Add']);

/**
 * Moves a standalone Activation into the attributes of the node that produces its input, when
 * that node can carry one and nobody else reads the pre-activation value. Delta mode relies on
 * this: the fused node keeps one accumulated pre-activation instead of two buffers.
 */
export function fuseActivations(graph: Graph): Graph {
  const uses = collectUses(graph);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0]!, n] as const));
  const removed = new Set<GraphNode>();
  const replaced = new Map<GraphNode, GraphNode>();
  for (const act of graph.nodes) {
    if (act.op !== 'Activation') continue;
    const source = producers.get(act.inputs[0]!);
    if (!source || !FUSABLE.has(source.op) || replaced.has(source)) continue;
    if (!hasSingleReader(uses, source.outputs[0]!)) continue;
    if ('activation' in source.attrs && source.attrs.activation) continue;
    replaced.set(source, {
      ...source,
      attrs: { ...source.attrs, activation: act.attrs.activation },
      outputs: act.outputs,
    } as GraphNode);
    removed.add(act);
  }
  if (removed.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n) };
}
