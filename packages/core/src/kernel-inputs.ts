import type { DenseKernelCall } from './backend.js';
import { InputError, ShapeError } from './errors.js';
import type { OpName } from './ops.js';
import { formatShape, sizeOf, type Shape, type Tensor } from './tensor.js';

/**
 * Argument checks every backend's kernels run on what they read. The planner already inferred
 * shapes, but a kernel (the reference oracle, or native code about to index raw memory) must end a
 * wrong call as a typed ShapeError or InputError naming what was wrong, never as an out-of-bounds
 * read.
 */

/** A dense kernel call narrowed to one op (or a few), so that `attrs` is typed. */
export type KernelCall<K extends OpName> = Extract<DenseKernelCall, { readonly op: K }>;

/** The input at `index`, checked to be a Float32Array whose length matches its shape. */
export function requireInput(call: DenseKernelCall, index: number, role: string): Tensor {
  const tensor = call.inputs[index];
  if (tensor === undefined) {
    throw new ShapeError(`${call.op}: input ${index} (${role}) is missing; this op requires it.`);
  }
  if (!(tensor.data instanceof Float32Array)) {
    throw new InputError(`${call.op}: input ${index} (${role}) must hold a Float32Array; kernels compute in float32.`);
  }
  for (const d of tensor.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${call.op}: input ${index} (${role}) has an invalid shape ${formatShape(tensor.shape)}; dimensions must be non-negative integers.`,
      );
    }
  }
  if (tensor.data.length !== sizeOf(tensor.shape)) {
    throw new ShapeError(
      `${call.op}: input ${index} (${role}) has ${tensor.data.length} values but its shape ${formatShape(tensor.shape)} needs ${sizeOf(tensor.shape)}.`,
    );
  }
  return tensor;
}

/** The optional input at `index` (bias, Gemm C), or undefined when absent. */
export function optionalInput(call: DenseKernelCall, index: number, role: string): Tensor | undefined {
  return call.inputs[index] === undefined ? undefined : requireInput(call, index, role);
}

/** Throws unless `shape` has exactly `rank` dimensions. */
export function expectRank(op: string, role: string, shape: Shape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${op}: ${role} has shape ${formatShape(shape)}; expected rank ${rank} (${layout}).`);
  }
}

/** Throws unless the planned output shape equals what this kernel computes. */
export function expectOutputShape(op: string, outputShape: Shape, computed: Shape): void {
  if (outputShape.length !== computed.length || outputShape.some((d, i) => d !== computed[i])) {
    throw new ShapeError(
      `${op}: the planned output shape ${formatShape(outputShape)} does not match the shape ${formatShape(computed)} computed from the inputs and attributes.`,
    );
  }
}

/** Throws unless a per-channel parameter (bias, BN scale, ...) has exactly `channels` values. */
export function expectChannelVector(op: string, role: string, tensor: Tensor, channels: number): void {
  if (tensor.data.length !== channels) {
    throw new ShapeError(
      `${op}: ${role} has shape ${formatShape(tensor.shape)} (${tensor.data.length} values); expected ${channels} values, one per channel.`,
    );
  }
}

/** Normalizes a possibly negative axis against `rank`, throwing when it is out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for rank ${rank}; accepted: ${-rank}..${rank - 1}.`);
  }
  return a;
}
