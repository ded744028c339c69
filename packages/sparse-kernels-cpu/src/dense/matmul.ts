import { matMulBatchOffsets, matMulGeometry, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import { encodeActivation } from './native-activation.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * numpy `matmul` with broadcast batch axes (1-D operands become a row / column vector whose axis
 * is dropped). Batch offsets are resolved here; the addon runs one sgemm per batch.
 */
export async function matmul(addon: NativeDenseAddon, call: KernelCall<'MatMul'>): Promise<Tensor> {
  const { op } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const g = matMulGeometry(op, a.shape, b.shape);
  const { m, k, n, batchShape, outShape } = g;
  expectOutputShape(op, call.outputShape, outShape);
  const batches = sizeOf(batchShape);
  // With k = 0 the product is all zeros: keep the zero fill rather than rely on BLAS writing them.
  const out = k === 0 ? new Float32Array(batches * m * n) : allocOutput(batches * m * n);
  expectInt32(op, 'the output size', out.length);
  expectInt32(op, 'A', a.data.length);
  expectInt32(op, 'B', b.data.length);
  const channels = outShape.length === 0 ? 1 : outShape[outShape.length - 1]!;
  const spec = encodeActivation(op, call.attrs.activation, channels);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const { a: aOffsets, b: bOffsets } = matMulBatchOffsets(g);
  const geometry = Int32Array.of(m, k, n, batches, Math.max(channels, 1));
  await callNative('matmul', () => addon.matmul(a.data, b.data, out, geometry, aOffsets, bOffsets, spec));
  return { data: out, shape: call.outputShape };
}
