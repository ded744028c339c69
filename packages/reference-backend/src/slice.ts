import { expectOutputShape, requireInput, sizeOf, sliceGeometry, stridesOf } from '@motiondelta/core';
import type { KernelCall, Tensor } from '@motiondelta/core';

/**
 * Slice of any rank with ONNX semantics (negative and out-of-range indices clamped, any non-zero
 * step): the output is written in order, reading the input through per-axis start offsets and
 * strides multiplied by the steps, one odometer step per output row.
 */
export function sliceKernel(call: KernelCall<'Slice'>): Tensor {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  const { axes, outShape } = sliceGeometry(op, x.shape, call.attrs);
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(sizeOf(outShape));
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = x.data[0]!;
    return { data: out, shape: call.outputShape };
  }
  const inStrides = stridesOf(x.shape);
  const readStrides = axes.map((a, i) => a.step * inStrides[i]!);
  let base = axes.reduce((sum, a, i) => sum + a.start * inStrides[i]!, 0);
  const last = rank - 1;
  const rowLength = outShape[last]!;
  const rowStride = readStrides[last]!;
  const index = new Int32Array(rank);
  const xd = x.data;
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
