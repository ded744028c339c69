import { ShapeError, formatShape, gemmGeometry } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { broadcastShapes, broadcastStrides } from '@motiondelta/core';
import { expectOutputShape, optionalInput, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { multiplyMatrices } from './matrix-product.js';

/**
 * ONNX Gemm: `Y = alpha * A' * B' + beta * C` with A' = transA ? A^T : A (same for B), C optional
 * and broadcast one way to [M, N]; then the fused activation. Transposes are strided reads.
 */
export function gemmKernel(call: KernelCall<'Gemm'>): Tensor {
  const { op, attrs } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const c = optionalInput(call, 2, 'C');
  const { m, k, n, a1, b1 } = gemmGeometry(op, attrs, a.shape, b.shape);
  expectOutputShape(op, call.outputShape, [m, n]);
  const out = new Float32Array(m * n);
  multiplyMatrices(
    { data: a.data, offset: 0, rowStride: attrs.transA ? 1 : a1, colStride: attrs.transA ? a1 : 1 },
    { data: b.data, offset: 0, rowStride: attrs.transB ? 1 : b1, colStride: attrs.transB ? b1 : 1 },
    m,
    k,
    n,
    attrs.alpha,
    out,
    0,
    new Float64Array(n),
  );
  if (c !== undefined && attrs.beta !== 0) addScaledBias(op, c, m, n, attrs.beta, out);
  if (attrs.activation !== undefined) applyActivation(out, n, attrs.activation);
  return { data: out, shape: call.outputShape };
}

function addScaledBias(op: string, c: Tensor, m: number, n: number, beta: number, out: Float32Array): void {
  const target = [m, n];
  const broadcast = c.shape.length <= 2 ? broadcastShapes(op, c.shape, target) : [];
  if (broadcast.length !== 2 || broadcast[0] !== m || broadcast[1] !== n) {
    throw new ShapeError(`${op}: C ${formatShape(c.shape)} does not broadcast to the output [${m},${n}].`);
  }
  const [rowStride, colStride] = broadcastStrides(c.shape, target) as [number, number];
  const cd = c.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + beta * cd[i * rowStride + j * colStride]!;
  }
}
