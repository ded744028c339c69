import { InputError, ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { DenseKernelCall, OpName, Shape, Tensor } from '@motiondelta/core';

/**
 * Argument checks run before a call crosses into native code. A wrong call must end as a typed
 * ShapeError or InputError naming what was wrong, never as a read past the end of an array in C++.
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
    throw new InputError(`${call.op}: input ${index} (${role}) must hold a Float32Array; the native backend computes in float32.`);
  }
  for (const d of tensor.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${call.op}: input ${index} (${role}) has an invalid shape ${formatShape(tensor.shape)}; dimensions must be non-negative integers.`);
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

/** Throws unless each entry of a (height, width) pair is a positive integer. */
export function expectPositivePair(op: string, name: string, pair: readonly number[]): void {
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ShapeError(`${op}: ${name} [${pair.join(',')}] must be two positive integers.`);
  }
}

/** Throws unless every value is a non-negative integer. */
export function expectNonNegativeInts(op: string, name: string, values: readonly number[], count: number): void {
  if (values.length !== count || !values.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ShapeError(`${op}: ${name} [${values.join(',')}] must be ${count} non-negative integers.`);
  }
}

/** Throws unless a value fits the addon's 32-bit integer geometry. */
export function expectInt32(op: string, what: string, value: number): void {
  if (value > 0x7fffffff) {
    throw new ShapeError(`${op}: ${what} (${value}) exceeds 2^31 - 1, the largest size the native kernels index.`);
  }
}
