import type { Graph, GraphNode } from '../ir/graph.js';

/** For each value, the nodes that read it; graph outputs count as a reader that cannot be rewired. */
export interface ValueUses {
  readonly readers: ReadonlyMap<string, readonly GraphNode[]>;
  readonly graphOutputs: ReadonlySet<string>;
}

export function collectUses(graph: Graph): ValueUses {
  const readers = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    for (const name of node.inputs) {
      if (name === '') continue;
      const list = readers.get(name);
      if (list) list.push(node);
      else readers.set(name, [node]);
    }
  }
  return { readers, graphOutputs: new Set(graph.outputs.map((o) => o.name)) };
}

/** True when `value` is read by exactly one node and is not a graph output: safe to fuse away. */
export function hasSingleReader(uses: ValueUses, value: string): boolean {
  return !uses.graphOutputs.has(value) && (uses.readers.get(value)?.length ?? 0) === 1;
}

/** Renames every read of `from` to `to` (outputs included), returning new nodes. */
export function renameValue(nodes: readonly GraphNode[], from: string, to: string): GraphNode[] {
  return nodes.map((n) => (n.inputs.includes(from) ? ({ ...n, inputs: n.inputs.map((i) => (i === from ? to : i)) } as GraphNode) : n));
}
