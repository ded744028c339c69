import { ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { DenseKernelCall, OpName, Shape, Tensor } from '@motiondelta/core';

/** A dense kernel call narrowed to one op (or a few), so that `attrs` is typed. */
export type KernelCall<K extends OpName> = Extract<DenseKernelCall, { readonly op: K }>;

/**
 * Argument checks shared by the reference kernels. The executor already inferred shapes, but the
 * reference backend is the oracle other backends are judged by, so it re-checks what it reads
 * rather than silently indexing out of bounds.
 */

/** The input at `index`, or a ShapeError naming the op and the role of the missing input. */
export function requireInput(call: DenseKernelCall, index: number, role: string): Tensor {
  const tensor = call.inputs[index];
  if (tensor === undefined) {
    throw new ShapeError(`${call.op}: input ${index} (${role}) is missing; this op requires it.`);
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

/** Throws unless `tensor` has exactly `rank` dimensions. */
export function expectRank(op: string, role: string, shape: Shape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${op}: ${role} has shape ${formatShape(shape)}; expected rank ${rank} (${layout}).`);
  }
}

/** Throws unless the inferred output shape equals what this kernel computes. */
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
