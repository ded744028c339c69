import type { Graph, GraphNode } from '../ir/graph.js';
import { collectUses, hasSingleReader } from './graph-uses.js';

/** The single value of a scalar constant, or undefined. */
function scalar(graph: Graph, name: string): number | undefined {
  const t = graph.constants.get(name);
  return t && t.data.length === 1 ? t.data[0] : undefined;
}

/**
 * Rewrites hard-swish written out by exporters for opsets without `HardSwish`,
 * `x * clip(x + 3, 0, 6) / 6` (after activation fusion: `Div(Mul(x, Add[clip 0..6](x, 3)), 6)`),
 * into one `hardSwish` activation: three elementwise nodes, and in delta mode a binary node with
 * two accumulated operands, become one activation.
 */
export function fuseHardSwish(graph: Graph): Graph {
  const uses = collectUses(graph);
  const producers = new Map(graph.nodes.map((n) => [n.outputs[0]!, n] as const));
  const removed = new Set<GraphNode>();
  const replaced = new Map<GraphNode, GraphNode>();
  for (const div of graph.nodes) {
    if (div.op !== 'Div' || div.attrs.activation || scalar(graph, div.inputs[1]!) !== 6) continue;
    const mul = producers.get(div.inputs[0]!);
    if (!mul || mul.op !== 'Mul' || mul.attrs.activation || !hasSingleReader(uses, mul.outputs[0]!)) continue;
    for (const side of [0, 1] as const) {
      const add = producers.get(mul.inputs[side]!);
      const x = mul.inputs[1 - side]!;
      if (!add || add.op !== 'Add' || !hasSingleReader(uses, add.outputs[0]!)) continue;
      const act = add.attrs.activation;
      if (act?.kind !== 'clip' || act.min !== 0 || act.max !== 6) continue;
      const addConst = add.inputs.findIndex((name) => scalar(graph, name) === 3);
      if (addConst < 0 || add.inputs[1 - addConst] !== x) continue;
      replaced.set(div, {
        name: div.name,
        op: 'Activation',
        attrs: { activation: { kind: 'hardSwish' } },
        inputs: [x],
        outputs: div.outputs,
      } as GraphNode);
      removed.add(mul);
      removed.add(add);
      break;
    }
  }
  if (removed.size === 0) return graph;
  return { ...graph, nodes: graph.nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n) };
}
