import type { Shape } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import {
  DELTA_BUFFER_PIXEL_BYTES,
  MemoryTally,
  describeSession,
  enforceMemoryLimit,
  type MemoryEstimate,
} from '../session/memory-budget.js';
import { planGraph } from '../shape/plan-graph.js';
import { planDelta, type DeltaPlan, type DeltaThresholds } from './delta-plan.js';

/** `conv1`, `conv1 (conv1#pre)`, `relu1 (accumulated)`: a buffer by its graph node, value and role. */
function label(node: string, value: string, role?: string): string {
  const parts = [value === node ? undefined : value, role].filter((p) => p !== undefined);
  return parts.length === 0 ? node : `${node} (${parts.join(', ')})`;
}

/**
 * The dense values of a delta keyframe: every step's output, pre-activation values included (the
 * keyframe entry of the lowered program computes them all before it copies them into the state;
 * a backend may free some earlier, so this is an upper bound), the caller's inputs not included.
 */
export function firstFrameMemory(plan: DeltaPlan): MemoryTally {
  const tally = new MemoryTally();
  for (const step of plan.steps) {
    if (step.kind !== 'sparsify' && step.kind !== 'densify') tally.add(label(step.node, step.output), step.outputShape);
  }
  return tally;
}

/**
 * What a delta session allocates on a keyframe, worked out from its plan alone: the keyframe's
 * dense values, then the program's state beside them (per delta value a DeltaBuffer: values, mask and
 * active list; per dense value an accumulator; per sparsify its reference; per activation and max
 * pool the accumulated input and last emitted output; per binary node its varying operands and
 * emitted output). `stateBytes` equals the session's `stateBytes` after the keyframe on the host
 * (`lowerDelta` declares exactly these values; a backend with its own compiler may share storage).
 */
export function deltaMemory(plan: DeltaPlan): MemoryEstimate {
  const shapes = new Map<string, Shape>();
  for (const step of plan.steps) shapes.set(step.output, step.outputShape);
  const shapeOf = (value: string): Shape => shapes.get(value) ?? [0];
  const values = firstFrameMemory(plan);
  const state = new MemoryTally();
  for (const step of plan.steps) {
    if (step.kind === 'densify' || step.kind === 'island') state.add(label(step.node, step.output, 'dense'), step.outputShape);
    else state.add(label(step.node, step.output, 'delta'), step.outputShape, DELTA_BUFFER_PIXEL_BYTES);
    switch (step.kind) {
      case 'sparsify':
        state.add(label(step.node, step.output, 'reference'), step.outputShape);
        break;
      case 'activation':
      case 'maxpool':
        state.add(label(step.node, step.input, 'accumulated'), shapeOf(step.input));
        state.add(label(step.node, step.output, 'emitted'), step.outputShape);
        break;
      case 'binary':
        for (const input of step.inputs)
          if (input.kind === 'delta') state.add(label(step.node, input.value, 'operand'), shapeOf(input.value));
        state.add(label(step.node, step.output, 'emitted'), step.outputShape);
        break;
      default:
        break;
    }
  }
  const largest = state.largest.bytes > values.largest.bytes ? state.largest : values.largest;
  const longest = state.longest.values > values.longest.values ? state.longest : values.longest;
  return { bytes: values.bytes + state.bytes, stateBytes: state.bytes, largest, longest };
}

/**
 * Plans a delta keyframe and refuses it, before anything is allocated, when it would need more
 * than `limit` bytes. The delta session's planner.
 *
 * @example
 * ```ts
 * const plan = planDeltaWithin(model.graph, { x: [1, 480, 640, 3] }, { node: 0, input: 0, perNode: {} }, 2 ** 30);
 * ```
 */
export function planDeltaWithin(
  graph: Graph,
  inputShapes: Readonly<Record<string, Shape>>,
  thresholds: DeltaThresholds,
  limit: number,
): DeltaPlan {
  const plan = planDelta(graph, planGraph(graph, inputShapes), thresholds);
  enforceMemoryLimit(deltaMemory(plan), limit, describeSession('delta', inputShapes));
  return plan;
}
