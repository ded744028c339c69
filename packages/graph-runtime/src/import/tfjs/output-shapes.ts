import type { Graph, ValueInfo } from '../../ir/graph.js';
import { planGraph } from '../../shape/plan-graph.js';

/** Two stand-ins per unknown dimension: batch 1 / 2, spatial sizes that stay distinct after /32. */
const PROBES: readonly [number, number][] = [
  [1, 2],
  [224, 320],
];

/**
 * Fills in output shapes the model file does not state (Keras configs never do) by planning the
 * graph for two stand-in sizes of every unknown input dimension: a dimension that comes out the
 * same both times is fixed, one that differs is `null`. When the planner rejects the stand-ins
 * (a model with size constraints), the outputs keep what the importer knew.
 */
export function withInferredOutputShapes(graph: Graph): Graph {
  if (graph.outputs.every((o) => o.shape.length > 0)) return graph;
  try {
    const plans = [0, 1].map((k) => {
      const shapes = Object.fromEntries(
        graph.inputs.map((input) => [input.name, input.shape.map((d, axis) => d ?? PROBES[axis === 0 ? 0 : 1]![k]!)]),
      );
      return planGraph(graph, shapes).shapes;
    });
    const outputs: ValueInfo[] = graph.outputs.map((o) => {
      if (o.shape.length > 0) return o;
      const [a, b] = plans.map((shapes) => shapes.get(o.name));
      if (a === undefined || b === undefined || a.length !== b.length) return o;
      return { ...o, shape: a.map((d, i) => (d === b[i] ? d : null)) };
    });
    return { ...graph, outputs };
  } catch {
    return graph;
  }
}
