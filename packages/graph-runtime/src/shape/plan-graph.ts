import { ModelFormatError, type Shape } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { resolveNode, type ResolvedNode } from './op-shapes.js';

/** A graph specialised for concrete input shapes: every node resolved, every value's shape known. */
export interface ExecutionPlan {
  readonly steps: readonly ResolvedNode[];
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /** Index of the last step that reads each intermediate value, so the executor can free it. */
  readonly lastUse: ReadonlyMap<string, number>;
}

/**
 * Infers every shape for the given input shapes and resolves attributes that depend on them.
 * Throws ShapeError naming the node whose inputs do not fit.
 */
export function planGraph(graph: Graph, inputShapes: Readonly<Record<string, Shape>>): ExecutionPlan {
  const shapes = new Map<string, readonly number[]>();
  for (const [name, t] of graph.constants) shapes.set(name, t.shape);
  for (const [name, t] of graph.intConstants) shapes.set(name, t.shape);
  for (const input of graph.inputs) {
    const s = inputShapes[input.name];
    if (!s) throw new ModelFormatError(`No shape given for graph input '${input.name}'.`);
    shapes.set(input.name, s);
  }
  const steps: ResolvedNode[] = [];
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    const inputs = node.inputs.map((name) => {
      if (name === '') return undefined;
      const s = shapes.get(name);
      if (!s) {
        throw new ModelFormatError(
          `${graph.source.location}: node '${node.name}' (${node.op}) reads '${name}', which no input, constant or earlier node provides.`,
        );
      }
      if (!graph.constants.has(name)) lastUse.set(name, index);
      return s;
    });
    const resolved = resolveNode(node, inputs);
    const output = node.outputs[0];
    if (output === undefined) throw new ModelFormatError(`Node '${node.name}' has no output.`);
    shapes.set(output, resolved.outputShape);
    steps.push(resolved);
  });
  for (const out of graph.outputs) {
    if (!shapes.has(out.name)) {
      throw new ModelFormatError(`${graph.source.location}: graph output '${out.name}' is never produced.`);
    }
    lastUse.set(out.name, Number.POSITIVE_INFINITY);
  }
  return { steps, shapes, lastUse };
}
