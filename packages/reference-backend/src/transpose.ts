import { ShapeError, formatShape, stridesOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * Transpose of any rank: output axis i is input axis perm[i]. Writes the output in order and
 * reads the input through permuted strides, one odometer step per output row.
 */
export function transposeKernel(call: KernelCall<'Transpose'>): Tensor {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  const rank = x.shape.length;
  const perm = call.attrs.perm;
  const valid = perm.length === rank && new Set(perm).size === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank);
  if (!valid) {
    throw new ShapeError(`${op}: perm [${perm.join(',')}] is not a permutation of 0..${rank - 1} for input ${formatShape(x.shape)}.`);
  }
  const outShape = perm.map((p) => x.shape[p]!);
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(x.data.length);
  if (out.length === 0 || rank === 0) {
    out.set(x.data);
    return { data: out, shape: call.outputShape };
  }
  const inStrides = stridesOf(x.shape);
  const readStrides = perm.map((p) => inStrides[p]!);
  const last = rank - 1;
  const rowLength = outShape[last]!;
  const rowStride = readStrides[last]!;
  const index = new Int32Array(rank);
  const xd = x.data;
  let base = 0;
  for (let offOut = 0; offOut < out.length; offOut += rowLength) {
    for (let i = 0; i < rowLength; i++) out[offOut + i] = xd[base + i * rowStride]!;
    for (let d = last - 1; d >= 0; d--) {
      index[d]!++;
      base += readStrides[d]!;
      if (index[d]! < outShape[d]!) break;
      base -= readStrides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return { data: out, shape: call.outputShape };
}
