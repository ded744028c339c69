import { OptionError, ResourceLimitError, formatBytes, formatShape, type Shape } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { planGraph, type ExecutionPlan } from '../shape/plan-graph.js';

/**
 * Default of `memoryLimit` (SessionOptions): 8 GiB. Well below the memory of the machines this
 * project runs on (23.5 GiB), and above what every catalogue model needs at full frame in every
 * mode (the largest, esrgan-x2 on a 576x768 frame, needs 4.1 GiB in delta and motion mode, so
 * 4 GiB would refuse the command line's default size for it). A constant, so that the runtime
 * stays free of `node:` imports: it is meant to be bundled for browsers too.
 */
export const DEFAULT_MEMORY_LIMIT = 8 * 2 ** 30;

/**
 * Most values one typed array can hold (2^32 in Node 20; browsers allow less). A tensor over it
 * cannot exist whatever `memoryLimit` says, so it is refused as well.
 */
export const MAX_TENSOR_VALUES = 2 ** 32;

const NOTHING: MemoryItem = { name: '(nothing)', shape: [], values: 0, bytes: 0 };

/** One buffer of an estimate: a tensor, a delta buffer or a wrapped store. */
export interface MemoryItem {
  /** The value (and graph node) it belongs to. */
  readonly name: string;
  readonly shape: Shape;
  /** Its values (typed-array length), before any extra per-pixel arrays. */
  readonly values: number;
  readonly bytes: number;
}

/** What a session would allocate for one input shape, worked out from its plan before allocating. */
export interface MemoryEstimate {
  /** Peak bytes held at once, the caller's input frames not included. */
  readonly bytes: number;
  /** Of `bytes`, what stays between frames (0 in dense mode); `stateBytes` of the session after its first frame. */
  readonly stateBytes: number;
  /** The largest single buffer. */
  readonly largest: MemoryItem;
  /** The buffer of the most values: what one typed array would have to hold. */
  readonly longest: MemoryItem;
}

/**
 * Adds up buffers in floating point. Dimensions are whole numbers < 2^53 (the planner checks), but
 * their product may not be: it is then approximate, which is fine, since it is far over any limit.
 */
export class MemoryTally {
  bytes = 0;
  largest: MemoryItem = NOTHING;
  longest: MemoryItem = NOTHING;

  /** A float32 tensor of `shape` (`perPixel` adds bytes per pixel, as a delta buffer's mask and list). */
  add(name: string, shape: Shape, perPixel = 0): number {
    // NHWC: pixels are all dimensions but the last (channels). An empty tensor is empty, even
    // where the product of its other dimensions would overflow to Infinity (and times 0, NaN).
    let pixels = 1;
    for (let i = 0; i < shape.length - 1; i++) pixels *= shape[i]!;
    const empty = shape.includes(0);
    const values = empty ? 0 : shape.length === 0 ? 1 : pixels * shape[shape.length - 1]!;
    const bytes = empty ? 0 : values * 4 + pixels * perPixel;
    this.bytes += bytes;
    if (bytes > this.largest.bytes) this.largest = { name, shape, values, bytes };
    if (values > this.longest.values) this.longest = { name, shape, values, bytes };
    return bytes;
  }
}

/** Bytes per pixel of a DeltaBuffer beside its values: a Uint8 mask and an Int32 list of active pixels. */
export const DELTA_BUFFER_PIXEL_BYTES = 1 + 4;

/**
 * Throws ResourceLimitError when an estimate goes over `limit` bytes, or when one buffer would be
 * longer than a typed array can be, naming the largest buffer and the option that raises the
 * limit. `what` says what would allocate (`A delta session on input 'x' [1,6144,6144,3]`).
 */
export function enforceMemoryLimit(estimate: MemoryEstimate, limit: number, what: string): void {
  const big = estimate.largest;
  const largest = `the largest buffer is '${big.name}' ${formatShape(big.shape)} (${formatBytes(big.bytes)})`;
  if (!(estimate.bytes <= limit)) {
    throw new ResourceLimitError(
      what,
      estimate.bytes,
      limit,
      `${largest}. Use a smaller input, or raise the limit with createSession({ memoryLimit: bytes }) if the machine has the memory.`,
    );
  }
  const long = estimate.longest;
  if (!(long.values <= MAX_TENSOR_VALUES)) {
    throw new ResourceLimitError(
      `Buffer '${long.name}' ${formatShape(long.shape)}`,
      long.values * 4,
      MAX_TENSOR_VALUES * 4,
      `it would hold ${long.values} values; a typed array holds at most 2^32, whatever memoryLimit says. Use a smaller input.`,
    );
  }
}

/** `memoryLimit` checked: a number of bytes > 0 (Infinity turns the limit off); default when undefined. */
export function checkMemoryLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_MEMORY_LIMIT;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new OptionError(`memoryLimit must be a number of bytes > 0 (Infinity for no limit), got ${String(value)}.`);
  }
  return value;
}

/** `A dense session on input 'x' [1,6144,6144,3]`: what a ResourceLimitError says would allocate. */
export function describeSession(mode: string, inputShapes: Readonly<Record<string, Shape>>): string {
  const inputs = Object.entries(inputShapes).map(([name, s]) => `'${name}' ${formatShape(s)}`);
  return `A ${mode} session on input ${inputs.join(', ')}`;
}

/**
 * What dense execution (`executePlan`) holds at its peak: every intermediate from the step that
 * makes it to its last reader, graph outputs to the end, the step's new output beside its inputs.
 * Kernels allocate their outputs and nothing of that order besides (the native backend's im2col
 * works in blocks of about 256 KiB).
 */
export function denseMemory(plan: ExecutionPlan): MemoryEstimate {
  const tally = new MemoryTally();
  const live = new Map<string, number>();
  let liveBytes = 0;
  let peak = 0;
  plan.steps.forEach((step, index) => {
    const output = step.node.outputs[0]!;
    const bytes = tally.add(step.node.name, step.outputShape);
    live.set(output, bytes);
    liveBytes += bytes;
    peak = Math.max(peak, liveBytes);
    for (const name of step.node.inputs) {
      const held = live.get(name);
      if (held !== undefined && plan.lastUse.get(name) === index) {
        live.delete(name);
        liveBytes -= held;
      }
    }
  });
  return { bytes: peak, stateBytes: 0, largest: tally.largest, longest: tally.longest };
}

/**
 * Plans a dense frame and refuses it, before anything is allocated, when it would need more than
 * `limit` bytes. The dense session's planner.
 *
 * @example
 * ```ts
 * const plan = planDenseWithin(model.graph, { x: [1, 480, 640, 3] }, 2 ** 30); // ResourceLimitError over 1 GiB
 * ```
 */
export function planDenseWithin(graph: Graph, inputShapes: Readonly<Record<string, Shape>>, limit: number): ExecutionPlan {
  const plan = planGraph(graph, inputShapes);
  enforceMemoryLimit(denseMemory(plan), limit, describeSession('dense', inputShapes));
  return plan;
}
