import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { expectChannelVector, expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * Inference batch normalization over the last axis:
 * `y = (x - mean) / sqrt(variance + epsilon) * scale + bias`, folded per channel in float64 into
 * one multiply-add so the loop over pixels stays flat.
 */
export function batchNormKernel(call: KernelCall<'BatchNorm'>): Tensor {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  if (x.shape.length === 0) {
    throw new ShapeError(`${op}: input x is a scalar; expected a tensor whose last axis holds the channels.`);
  }
  const c = x.shape[x.shape.length - 1]!;
  const params = (['scale', 'bias', 'mean', 'variance'] as const).map((role, i) => {
    const t = requireInput(call, i + 1, role);
    expectChannelVector(op, role, t, c);
    return t.data;
  });
  const [scale, bias, mean, variance] = params as [Float32Array, Float32Array, Float32Array, Float32Array];
  expectOutputShape(op, call.outputShape, x.shape);
  const mul = new Float64Array(c);
  const add = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    mul[ch] = scale[ch]! / Math.sqrt(variance[ch]! + call.attrs.epsilon);
    add[ch] = bias[ch]! - mean[ch]! * mul[ch]!;
  }
  const xd = x.data;
  const out = new Float32Array(xd.length);
  for (let base = 0; base < xd.length; base += c) {
    for (let ch = 0; ch < c; ch++) out[base + ch] = xd[base + ch]! * mul[ch]! + add[ch]!;
  }
  return { data: out, shape: call.outputShape };
}
