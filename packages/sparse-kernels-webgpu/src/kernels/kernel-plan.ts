import { ShapeError, formatShape, type OpCall, type Shape } from '@motiondelta/core';

/**
 * A dense op call as kernels plan it: shapes only. Plans are made once per compiled step (from
 * the program's value shapes) or per `runDense` call; data is bound later.
 */
export type ShapedCall = OpCall & {
  /** Input shapes in the op's order; undefined for an absent optional input. */
  readonly inputs: readonly (Shape | undefined)[];
  readonly outputShape: Shape;
};

/**
 * One compute dispatch: WGSL whose bindings are the listed call inputs (read-only, in order), then
 * `aux` when present (read-only i32 tables derived from shapes and attributes), then the output.
 * The source holds shapes and attributes only, so it is the pipeline's cache key.
 */
export interface KernelPlan {
  readonly code: string;
  /** Threads: one per output element, pixel or row, as the kernel says (not the output size). */
  readonly threads: number;
  /** Indices into the call's inputs, bound as `in0`, `in1`, ... in this order. */
  readonly inputs: readonly number[];
  readonly aux?: Int32Array;
  /** Read-write bindings after the read-only ones (default 1: `out`); delta kernels update state too. */
  readonly writes?: number;
}

/** WGSL declarations of a plan's bindings: `in0..`, `aux` (if any) and `out`. */
export function bindingsWgsl(inputCount: number, aux: boolean): string {
  const lines: string[] = [];
  for (let k = 0; k < inputCount; k++) lines.push(`@group(0) @binding(${k}) var<storage, read> in${k}: array<f32>;`);
  if (aux) lines.push(`@group(0) @binding(${inputCount}) var<storage, read> aux: array<i32>;`);
  lines.push(`@group(0) @binding(${inputCount + (aux ? 1 : 0)}) var<storage, read_write> out: array<f32>;`);
  return lines.join('\n');
}

/** The shape of required input `index`, or a ShapeError naming its role. */
export function inputShape(call: ShapedCall, index: number, role: string): Shape {
  const s = call.inputs[index];
  if (s === undefined) throw new ShapeError(`${call.op}: input ${index} (${role}) is missing.`);
  return s;
}

/** Throws unless the planner's output shape is what the op computes. */
export function expectShape(op: string, outputShape: Shape, computed: readonly number[]): void {
  if (outputShape.length !== computed.length || outputShape.some((d, i) => d !== computed[i])) {
    throw new ShapeError(`${op}: output shape ${formatShape(outputShape)} disagrees with the computed ${formatShape(computed)}.`);
  }
}

/** Throws unless `shape` is a per-channel vector of `channels` values. */
export function expectChannels(op: string, role: string, shape: Shape | undefined, channels: number): void {
  if (shape === undefined) return;
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== channels)
    throw new ShapeError(`${op}: ${role} has shape ${formatShape(shape)}; expected ${channels} values (one per channel).`);
}
