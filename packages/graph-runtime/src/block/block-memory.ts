import type { Shape } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { describeSession, enforceMemoryLimit, MemoryTally, type MemoryEstimate } from '../session/memory-budget.js';
import { planGraph, type ExecutionPlan } from '../shape/plan-graph.js';

/**
 * What a block session holds for one input shape: every node's output as a persistent map (its
 * state, kept between frames), plus, while a step runs, a result as large as the largest map (the
 * whole-map result of a global or `whole`-form node, or a rectangle and the input crop under it),
 * counted twice.
 */
export function blockMemory(plan: ExecutionPlan): MemoryEstimate {
  const tally = new MemoryTally();
  for (const step of plan.steps) tally.add(step.node.name, step.outputShape);
  const stateBytes = tally.bytes;
  return { bytes: stateBytes + 2 * tally.largest.bytes, stateBytes, largest: tally.largest, longest: tally.longest };
}

/**
 * Plans a block session's input shape and refuses it, before anything is allocated, when it would
 * need more than `limit` bytes.
 *
 * @example
 * ```ts
 * const plan = planBlockWithin(model.graph, { x: [1, 480, 640, 3] }, 2 ** 30); // ResourceLimitError over 1 GiB
 * ```
 */
export function planBlockWithin(graph: Graph, inputShapes: Readonly<Record<string, Shape>>, limit: number): ExecutionPlan {
  const plan = planGraph(graph, inputShapes);
  enforceMemoryLimit(blockMemory(plan), limit, describeSession('block', inputShapes));
  return plan;
}
