import { ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { broadcastShapes, broadcastStrides } from '../shape/broadcast.js';
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
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw new ShapeError(`${op}: operands ${formatShape(a.shape)} and ${formatShape(b.shape)} must have rank >= 1.`);
  }
  const aMat = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape.slice(-2);
  const bMat = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape.slice(-2);
  const [m, k] = aMat as [number, number];
  const [kb, n] = bMat as [number, number];
  if (k !== kb) {
    throw new ShapeError(`${op}: inner dimensions differ: A ${formatShape(a.shape)} has ${k} columns, B ${formatShape(b.shape)} has ${kb} rows.`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(op, aBatch, bBatch);
  const outShape = [...batchShape];
  if (a.shape.length > 1) outShape.push(m);
  if (b.shape.length > 1) outShape.push(n);
  expectOutputShape(op, call.outputShape, outShape);

  const batches = sizeOf(batchShape);
  const aStrides = broadcastStrides(aBatch, batchShape);
  const bStrides = broadcastStrides(bBatch, batchShape);
  const out = new Float32Array(batches * m * n);
  const acc = new Float64Array(n);
  for (let batch = 0; batch < batches; batch++) {
    let aIndex = 0;
    let bIndex = 0;
    for (let d = batchShape.length - 1, rest = batch; d >= 0; d--) {
      const size = batchShape[d]!;
      const i = rest % size;
      rest = (rest - i) / size;
      aIndex += i * aStrides[d]!;
      bIndex += i * bStrides[d]!;
    }
    multiplyMatrices(
      { data: a.data, offset: aIndex * m * k, rowStride: k, colStride: 1 },
      { data: b.data, offset: bIndex * k * n, rowStride: n, colStride: 1 },
      m, k, n, 1, out, batch * m * n, acc,
    );
  }
  if (call.attrs.activation !== undefined) {
    applyActivation(out, outShape.length === 0 ? 1 : outShape[outShape.length - 1]!, call.attrs.activation);
  }
  return { data: out, shape: call.outputShape };
}
