import type { DenseKernelCall, Tensor } from '@motiondelta/core';
import type { Graph, GraphNode } from '../ir/graph.js';
import { resolveNode } from '../shape/op-shapes.js';
import { pruneConstants } from './fold-batch-norm.js';

/**
 * Evaluates, once at load time, every node whose inputs are all constants (weight reshapes,
 * transposes and arithmetic that exporters leave in graphs) and stores the result as a constant.
 * Loading is synchronous, so folding takes kernels that answer synchronously (the reference ones).
 */
export function foldConstants(graph: Graph, backend: { runDense(call: DenseKernelCall): Tensor }): Graph {
  const constants = new Map(graph.constants);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const kept: GraphNode[] = [];
  for (const node of graph.nodes) {
    const foldable =
      !outputs.has(node.outputs[0]!) && node.inputs.length > 0 && node.inputs.every((name) => name === '' || constants.has(name));
    if (!foldable) {
      kept.push(node);
      continue;
    }
    const inputs = node.inputs.map((name) => (name === '' ? undefined : constants.get(name)));
    const resolved = resolveNode(
      node,
      inputs.map((t) => t?.shape),
    );
    const call = { op: node.op, attrs: resolved.attrs, inputs, outputShape: resolved.outputShape } as DenseKernelCall;
    const result: Tensor = backend.runDense(call);
    constants.set(node.outputs[0]!, result);
  }
  if (kept.length === graph.nodes.length) return graph;
  return pruneConstants({ ...graph, nodes: kept, constants });
}
