import { ShapeError, formatShape, gemmGeometry } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, optionalInput, requireInput, type KernelCall } from '../validate-inputs.js';
import { broadcastShapes, broadcastStrides } from './broadcast.js';
import { encodeActivation } from './native-activation.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/** ONNX Gemm: `act(alpha * A' B' + beta * C)`, C optional and broadcast one way to [M, N]. */
export async function gemm(addon: NativeDenseAddon, call: KernelCall<'Gemm'>): Promise<Tensor> {
  const { op, attrs } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const c = optionalInput(call, 2, 'C');
  const { m, k, n } = gemmGeometry(op, attrs, a.shape, b.shape);
  expectOutputShape(op, call.outputShape, [m, n]);
  let cStrides: [number, number] = [0, 0];
  const useC = c !== undefined && attrs.beta !== 0;
  if (useC) {
    const broadcast = c.shape.length <= 2 ? broadcastShapes(op, c.shape, [m, n]) : [];
    if (broadcast.length !== 2 || broadcast[0] !== m || broadcast[1] !== n) {
      throw new ShapeError(`${op}: C ${formatShape(c.shape)} does not broadcast to the output [${m},${n}].`);
    }
    cStrides = broadcastStrides(c.shape, [m, n]) as [number, number];
  }
  // With k = 0 the product is all zeros: keep the zero fill rather than rely on BLAS writing them.
  const out = k === 0 ? new Float32Array(m * n) : allocOutput(m * n);
  expectInt32(op, 'the output size', out.length);
  const spec = encodeActivation(op, attrs.activation, n);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const geometry = Int32Array.of(m, k, n, attrs.transA ? 1 : 0, attrs.transB ? 1 : 0, cStrides[0], cStrides[1]);
  await callNative('gemm', () => addon.gemm(a.data, b.data, useC ? c.data : null, out, geometry, attrs.alpha, useC ? attrs.beta : 0, spec));
  return { data: out, shape: call.outputShape };
}
