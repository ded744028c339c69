import { InputError, ShapeError } from './errors.js';

/** A tensor shape. Four-dimensional feature maps are NHWC. */
export type Shape = readonly number[];

/** Element types a graph may hold. Activations are always float32; int32 appears in constants. */
export type DType = 'float32' | 'int32';

/** A dense float32 tensor. Four-dimensional tensors are NHWC (batch, height, width, channels). */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: Shape;
}

/** A constant integer tensor (shapes, axes, indices), as found in model files. */
export interface IntTensor {
  readonly data: Int32Array;
  readonly shape: Shape;
}

/** Named tensors, as passed to and returned from a session. */
export type TensorMap = Record<string, Tensor>;

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[1,2,3]` for messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Throws ShapeError unless `data.length` matches `shape`. */
export function checkTensor(name: string, tensor: { data: ArrayLike<number>; shape: Shape }): void {
  for (const d of tensor.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`Tensor '${name}' has an invalid shape ${formatShape(tensor.shape)}: dimensions must be non-negative integers.`);
    }
  }
  const expected = sizeOf(tensor.shape);
  if (tensor.data.length !== expected) {
    throw new ShapeError(`Tensor '${name}' has ${tensor.data.length} values but its shape ${formatShape(tensor.shape)} needs ${expected}.`);
  }
}

/** Throws InputError naming the first NaN or infinite value. */
export function checkFinite(name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`Tensor '${name}' holds ${v} at flat index ${i}; inputs must be finite numbers.`);
    }
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}
