import { UnsupportedOpError } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';
import type { ValueInfo } from '../../ir/graph.js';
import { planGraph } from '../../shape/plan-graph.js';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Two sizes for every dimension a graph input leaves open: 1 and 2 for the batch, 128 and 192 for
 * the others (multiples of the largest strides of real networks). A dimension of an intermediate
 * value that comes out equal under both is static; one that differs depends on the input's size.
 */
const PROBES: readonly (readonly [number, number])[] = [
  [1, 2],
  [128, 192],
];

/** The shapes of every IR value built so far, under each of the two probe input sizes. */
export type ProbedShapes = readonly [ReadonlyMap<string, Shape>, ReadonlyMap<string, Shape>];

/**
 * Infers the shapes of the partial graph a builder holds, under two sizes for each open input
 * dimension, so that `Shape` of a computed value folds into constants (dimensions equal under
 * both) and run-time dimensions. One per import; the result is kept until the builder grows.
 */
export class ShapeProber {
  private cached: { nodeCount: number; shapes: ProbedShapes } | undefined;

  constructor(
    private readonly builder: GraphBuilder,
    private readonly inputs: readonly ValueInfo[],
  ) {}

  /**
   * @throws UnsupportedOpError naming `node` when the partial graph cannot be planned at the probe
   *   sizes (so its `Shape` cannot be folded).
   */
  shapes(node: { readonly op: string; readonly name: string }): ProbedShapes {
    if (this.cached?.nodeCount === this.builder.nodeCount) return this.cached.shapes;
    const graph = this.builder.build({ format: 'tfjs-graph', location: '<shape probe>' }, this.inputs, []);
    const plan = (k: 0 | 1) => {
      const sizes = Object.fromEntries(this.inputs.map((i) => [i.name, i.shape.map((d, axis) => d ?? PROBES[axis === 0 ? 0 : 1]![k])]));
      try {
        return planGraph(graph, sizes).shapes;
      } catch (error) {
        throw new UnsupportedOpError(node.op, node.name, `its shape cannot be inferred at import time (${(error as Error).message})`);
      }
    };
    const shapes: ProbedShapes = [plan(0), plan(1)];
    this.cached = { nodeCount: this.builder.nodeCount, shapes };
    return shapes;
  }
}
