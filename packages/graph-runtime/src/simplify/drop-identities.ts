import type { Graph } from '../ir/graph.js';
import { renameValue } from './graph-uses.js';

/**
 * Removes Identity nodes by letting readers read the identity's input directly. An identity whose
 * output is a graph output is kept, because the output name is part of the model's interface.
 */
export function dropIdentities(graph: Graph): Graph {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  let nodes = [...graph.nodes];
  for (const node of graph.nodes) {
    if (node.op !== 'Identity' || outputs.has(node.outputs[0]!)) continue;
    nodes = renameValue(
      nodes.filter((n) => n.name !== node.name),
      node.outputs[0]!,
      node.inputs[0]!,
    );
  }
  return nodes.length === graph.nodes.length ? graph : { ...graph, nodes };
}
