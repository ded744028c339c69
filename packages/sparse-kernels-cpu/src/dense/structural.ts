import { ShapeError, depthSpaceShape, expectOutputShape, reduceGeometry, sizeOf, sliceGeometry, stridesOf } from '@motiondelta/core';
import type { OpAttrs, ReduceKind, Shape, Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { expectInt32, requireInput, type KernelCall } from '../validate-inputs.js';
import { allocOutput } from './alloc-output.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * A strided gather as the addon's `stridedCopy` takes it: output element (i_0, ..., i_r-1) reads
 * x at `base + sum_d i_d * strides[d]` (strides may be negative), `shape` the output's.
 */
export interface StridedCopyPlan {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly base: number;
}

/** Drops size-1 axes and merges neighbours that read contiguously, so rows get long. */
function coalesce(shape: readonly number[], strides: readonly number[]): { shape: number[]; strides: number[] } {
  const axes: { size: number; stride: number }[] = [];
  shape.forEach((size, i) => {
    if (size !== 1) axes.push({ size, stride: strides[i]! });
  });
  if (axes.length === 0) return { shape: [1], strides: [0] };
  const merged = [axes[0]!];
  for (let i = 1; i < axes.length; i++) {
    const inner = axes[i]!;
    const outer = merged[merged.length - 1]!;
    if (outer.stride === inner.stride * inner.size) merged[merged.length - 1] = { size: outer.size * inner.size, stride: inner.stride };
    else merged.push(inner);
  }
  return { shape: merged.map((a) => a.size), strides: merged.map((a) => a.stride) };
}

/**
 * Slice (ONNX semantics, see sliceGeometry), DepthToSpace (DCR, CRD) and SpaceToDepth on shapes:
 * checks the call as the reference does and returns the gather that computes it, or null when the
 * output is empty.
 */
export function stridedCopyPlan(
  op: 'Slice' | 'DepthToSpace' | 'SpaceToDepth',
  attrs: OpAttrs['Slice'] | OpAttrs['DepthToSpace'] | OpAttrs['SpaceToDepth'],
  x: Shape,
  outputShape: Shape,
): StridedCopyPlan | null {
  let view: { shape: number[]; strides: number[]; base: number };
  if (op === 'Slice') {
    const { axes, outShape } = sliceGeometry(op, x, attrs as OpAttrs['Slice']);
    expectOutputShape(op, outputShape, outShape);
    const inStrides = stridesOf(x);
    view = {
      shape: [...outShape],
      strides: axes.map((a, i) => a.step * inStrides[i]!),
      base: axes.reduce((sum, a, i) => sum + (a.length > 0 ? a.start * inStrides[i]! : 0), 0),
    };
  } else {
    const b = (attrs as OpAttrs['SpaceToDepth']).blockSize;
    const toSpace = op === 'DepthToSpace';
    const outShape = depthSpaceShape(op, x, b, toSpace);
    expectOutputShape(op, outputShape, outShape);
    if (toSpace) {
      // Output [N, H, i, W, j, C] read from x [N, H, W, k]: DCR k = (i*b + j)*C + c, CRD k = c*b*b + i*b + j.
      const [n, h, w, deep] = x as [number, number, number, number];
      const c = deep / (b * b);
      const crd = (attrs as OpAttrs['DepthToSpace']).mode === 'CRD';
      view = {
        shape: [n, h, b, w, b, c],
        strides: [h * w * deep, w * deep, crd ? b : b * c, deep, crd ? 1 : c, crd ? b * b : 1],
        base: 0,
      };
    } else {
      // Output [N, H/b, W/b, i, j, C] read from x [N, H, W, C] at row y*b + i, column x*b + j.
      const [n, h, w, c] = x as [number, number, number, number];
      view = {
        shape: [n, h / b, w / b, b, b, c],
        strides: [h * w * c, b * w * c, b * c, w * c, c, 1],
        base: 0,
      };
    }
  }
  expectInt32(op, 'the input size', sizeOf(x));
  expectInt32(op, 'the output size', sizeOf(view.shape));
  if (sizeOf(view.shape) === 0) return null;
  const { shape, strides } = coalesce(view.shape, view.strides);
  return { shape, strides, base: view.base };
}

/** The addon's reduce kind codes (native/src/dense_reduce.cc). */
export const REDUCE_KIND_CODE = {
  mean: 0,
  max: 1,
  min: 2,
  sum: 3,
  prod: 4,
  l1: 5,
  l2: 6,
  sumSquare: 7,
  logSum: 8,
  logSumExp: 9,
} as const satisfies Record<ReduceKind, number>;

/** A Reduce as the addon's `reduce` takes it: the input's shape (coalesced) and per axis a reduced flag. */
export interface ReducePlan {
  readonly shape: readonly number[];
  readonly reduced: readonly number[];
  readonly kind: number;
}

/**
 * Checks a Reduce on shapes as the reference does and returns its native form, or null when the
 * output is empty. Size-1 axes are dropped and neighbouring axes of the same role merged: the
 * inputs of each output are still visited in storage order.
 */
export function reducePlan(op: 'Reduce', attrs: OpAttrs['Reduce'], x: Shape, outputShape: Shape): ReducePlan | null {
  if (!Object.prototype.hasOwnProperty.call(REDUCE_KIND_CODE, attrs.kind)) {
    throw new ShapeError(`${op}: unknown kind '${String(attrs.kind)}'; accepted: ${Object.keys(REDUCE_KIND_CODE).join(', ')}.`);
  }
  const { reduced, outShape } = reduceGeometry(op, x, attrs);
  expectOutputShape(op, outputShape, outShape);
  expectInt32(op, 'the input size', sizeOf(x));
  if (sizeOf(outShape) === 0) return null;
  const axes: { size: number; reduced: boolean }[] = [];
  x.forEach((size, i) => {
    if (size === 1) return;
    const last = axes[axes.length - 1];
    if (last !== undefined && last.reduced === reduced[i]) last.size *= size;
    else axes.push({ size, reduced: reduced[i]! });
  });
  if (axes.length === 0) axes.push({ size: 1, reduced: false });
  return { shape: axes.map((a) => a.size), reduced: axes.map((a) => (a.reduced ? 1 : 0)), kind: REDUCE_KIND_CODE[attrs.kind] };
}

/** Slice, DepthToSpace, SpaceToDepth on the addon's strided gather. */
export async function stridedCopy(addon: NativeDenseAddon, call: KernelCall<'Slice' | 'DepthToSpace' | 'SpaceToDepth'>): Promise<Tensor> {
  const x = requireInput(call, 0, 'x');
  const plan = stridedCopyPlan(call.op, call.attrs, x.shape, call.outputShape);
  const out = allocOutput(sizeOf(call.outputShape));
  if (plan === null) return { data: out, shape: call.outputShape };
  await callNative('stridedCopy', () =>
    addon.stridedCopy(x.data, out, Int32Array.from(plan.shape), Int32Array.from(plan.strides), plan.base),
  );
  return { data: out, shape: call.outputShape };
}

/** Reduce (every kind, any axes) on the addon's kernel, accumulating in double as the reference. */
export async function reduce(addon: NativeDenseAddon, call: KernelCall<'Reduce'>): Promise<Tensor> {
  const x = requireInput(call, 0, 'x');
  const plan = reducePlan(call.op, call.attrs, x.shape, call.outputShape);
  const out = allocOutput(sizeOf(call.outputShape));
  if (plan === null) return { data: out, shape: call.outputShape };
  await callNative('reduce', () => addon.reduce(x.data, out, Int32Array.from(plan.shape), Int32Array.from(plan.reduced), plan.kind));
  return { data: out, shape: call.outputShape };
}
