import { sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { expectOutputShape, normalizeAxis, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * Softmax along one axis (ONNX opset >= 13). The maximum is subtracted first so exp never
 * overflows; sums run in float64.
 */
export function softmaxKernel(call: KernelCall<'Softmax'>): Tensor {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  expectOutputShape(op, call.outputShape, x.shape);
  const out = new Float32Array(x.data.length);
  if (x.shape.length === 0) {
    out[0] = 1;
    return { data: out, shape: call.outputShape };
  }
  const axis = normalizeAxis(op, call.attrs.axis, x.shape.length);
  const length = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const xd = x.data;
  const exps = new Float64Array(length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let max = -Infinity;
      for (let k = 0; k < length; k++) max = Math.max(max, xd[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < length; k++) {
        const e = Math.exp(xd[base + k * inner]! - max);
        exps[k] = e;
        sum += e;
      }
      for (let k = 0; k < length; k++) out[base + k * inner] = exps[k]! / sum;
    }
  }
  return { data: out, shape: call.outputShape };
}
