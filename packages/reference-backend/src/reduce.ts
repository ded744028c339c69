import { expectOutputShape, reduceGeometry, requireInput, sizeOf, stridesOf } from '@motiondelta/core';
import type { KernelCall, ReduceKind, Tensor } from '@motiondelta/core';

/**
 * Reduce over any set of axes, any kind. Every input element is visited once in storage order
 * (an odometer over the input, carrying the offset of the output element it falls into), and
 * combined into a float64 accumulator per output element; `logSumExp` takes a first pass for the
 * maximum so that exp never overflows.
 */
export function reduceKernel(call: KernelCall<'Reduce'>): Tensor {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const { reduced, outShape, groupSize } = reduceGeometry(op, x.shape, attrs);
  expectOutputShape(op, call.outputShape, outShape);
  const outSize = sizeOf(outShape);
  const acc = new Float64Array(outSize).fill(identity(attrs.kind));
  // Output offset step per input axis: 0 along reduced axes, the kept axis' stride otherwise.
  const keptStrides = stridesOf(x.shape.filter((_, i) => !reduced[i]));
  const step: number[] = [];
  let k = 0;
  for (let i = 0; i < x.shape.length; i++) step.push(reduced[i] ? 0 : keptStrides[k++]!);
  const xd = x.data;
  const kind = attrs.kind;
  if (kind === 'logSumExp') {
    const max = new Float64Array(outSize).fill(-Infinity);
    visit(x.shape, step, (i, o) => {
      if (xd[i]! > max[o]!) max[o] = xd[i]!;
    });
    acc.fill(0);
    visit(x.shape, step, (i, o) => {
      // A group whose maximum is infinite sums exp(x - x) = NaN otherwise; it stays at its max.
      if (Number.isFinite(max[o]!)) acc[o]! += Math.exp(xd[i]! - max[o]!);
    });
    const out = new Float32Array(outSize);
    for (let o = 0; o < outSize; o++) out[o] = Number.isFinite(max[o]!) ? Math.log(acc[o]!) + max[o]! : max[o]!;
    return { data: out, shape: call.outputShape };
  }
  visit(x.shape, step, combiner(kind, xd, acc));
  const out = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const v = acc[o]!;
    out[o] = kind === 'mean' ? v / groupSize : kind === 'l2' ? Math.sqrt(v) : kind === 'logSum' ? Math.log(v) : v;
  }
  return { data: out, shape: call.outputShape };
}

function identity(kind: ReduceKind): number {
  switch (kind) {
    case 'max':
    case 'logSumExp':
      return -Infinity;
    case 'min':
      return Infinity;
    case 'prod':
      return 1;
    default:
      return 0;
  }
}

function combiner(kind: Exclude<ReduceKind, 'logSumExp'>, xd: Float32Array, acc: Float64Array): (i: number, o: number) => void {
  switch (kind) {
    case 'mean':
    case 'sum':
    case 'logSum':
      return (i, o) => (acc[o]! += xd[i]!);
    case 'max':
      // NaN propagates, as in ONNX Runtime and TensorFlow.
      return (i, o) => {
        const v = xd[i]!;
        if (v > acc[o]! || Number.isNaN(v)) acc[o] = v;
      };
    case 'min':
      return (i, o) => {
        const v = xd[i]!;
        if (v < acc[o]! || Number.isNaN(v)) acc[o] = v;
      };
    case 'prod':
      return (i, o) => (acc[o]! *= xd[i]!);
    case 'l1':
      return (i, o) => (acc[o]! += Math.abs(xd[i]!));
    case 'l2':
    case 'sumSquare':
      return (i, o) => (acc[o]! += xd[i]! * xd[i]!);
  }
}

/** Calls `f(inputOffset, outputOffset)` for every input element, in storage order. */
function visit(shape: readonly number[], step: readonly number[], f: (i: number, o: number) => void): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const rank = shape.length;
  if (rank === 0) {
    f(0, 0);
    return;
  }
  const last = rank - 1;
  const rowLength = shape[last]!;
  const rowStep = step[last]!;
  const index = new Int32Array(rank);
  let base = 0;
  for (let i = 0; i < total; i += rowLength) {
    for (let j = 0; j < rowLength; j++) f(i + j, base + j * rowStep);
    for (let d = last - 1; d >= 0; d--) {
      index[d]!++;
      base += step[d]!;
      if (index[d]! < shape[d]!) break;
      base -= step[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}
