import { ModelFormatError, ShapeError, formatShape, type Shape } from '@motiondelta/core';
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
 * Throws ShapeError naming the node whose inputs do not fit, or whose output size is not a whole
 * number >= 0 (a negative pad, a zero stride, a size past 2^53): planning is arithmetic only, so a
 * bad size is caught here, before any session allocates for it. Sizes that are valid but too large
 * are the memory limit's business (`memoryLimit` of `createSession`).
 */
export function planGraph(graph: Graph, inputShapes: Readonly<Record<string, Shape>>): ExecutionPlan {
  const shapes = new Map<string, readonly number[]>();
  for (const [name, t] of graph.constants) shapes.set(name, t.shape);
  for (const [name, t] of graph.intConstants) shapes.set(name, t.shape);
  for (const input of graph.inputs) {
    const s = inputShapes[input.name];
    if (!s) throw new ModelFormatError(`No shape given for graph input '${input.name}'.`);
    checkDims(s, () => `Graph input '${input.name}' has shape ${formatShape(s)}`, '');
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
    checkDims(
      resolved.outputShape,
      () => `Node '${node.name}' (${node.op}) with input ${formatShape(inputs[0] ?? [])} gives shape ${formatShape(resolved.outputShape)}`,
      " (check the node's pads, strides, scales or sizes)",
    );
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

/** Every dimension a whole number in [0, 2^53): what typed arrays and index arithmetic can take. */
function checkDims(shape: Shape, what: () => string, hint: string): void {
  if (shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return;
  throw new ShapeError(`${what()}; every dimension must be a whole number >= 0${hint}.`);
}
