import { matMulBatchOffsets, matMulGeometry, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { multiplyMatrices } from './matrix-product.js';

/**
 * numpy `matmul`: the last two axes are matrices, the leading axes broadcast as batch axes; a 1-D
 * left operand is a row vector and a 1-D right operand a column vector, and the axis they add is
 * dropped from the result.
 */
export function matmulKernel(call: KernelCall<'MatMul'>): Tensor {
  const { op } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const g = matMulGeometry(op, a.shape, b.shape);
  const { m, k, n, batchShape, outShape } = g;
  expectOutputShape(op, call.outputShape, outShape);

  const batches = sizeOf(batchShape);
  const offsets = matMulBatchOffsets(g);
  const out = new Float32Array(batches * m * n);
  const acc = new Float64Array(n);
  for (let batch = 0; batch < batches; batch++) {
    multiplyMatrices(
      { data: a.data, offset: offsets.a[batch]!, rowStride: k, colStride: 1 },
      { data: b.data, offset: offsets.b[batch]!, rowStride: n, colStride: 1 },
      m,
      k,
      n,
      1,
      out,
      batch * m * n,
      acc,
    );
  }
  if (call.attrs.activation !== undefined) {
    applyActivation(out, outShape.length === 0 ? 1 : outShape[outShape.length - 1]!, call.attrs.activation);
  }
  return { data: out, shape: call.outputShape };
}
