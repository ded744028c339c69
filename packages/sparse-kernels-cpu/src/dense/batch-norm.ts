import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectChannelVector, expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * Inference batch normalization over the last axis, folded per channel (in float64, as the
 * reference does) into `x * mul + add` before the native pass over the pixels.
 */
export async function batchNorm(addon: NativeDenseAddon, call: KernelCall<'BatchNorm'>): Promise<Tensor> {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  if (x.shape.length === 0) throw new ShapeError(`${op}: input x is a scalar; expected a tensor whose last axis holds the channels.`);
  const c = x.shape[x.shape.length - 1]!;
  const [scale, bias, mean, variance] = (['scale', 'bias', 'mean', 'variance'] as const).map((role, i) => {
    const t = requireInput(call, i + 1, role);
    expectChannelVector(op, role, t, c);
    return t.data;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array];
  expectOutputShape(op, call.outputShape, x.shape);
  expectInt32(op, 'the input size', x.data.length);
  const mul = new Float32Array(c);
  const add = new Float32Array(c);
  for (let ch = 0; ch < c; ch++) {
    const m = scale[ch]! / Math.sqrt(variance[ch]! + call.attrs.epsilon);
    mul[ch] = m;
    add[ch] = bias[ch]! - mean[ch]! * m;
  }
  const out = allocOutput(x.data.length);
  if (out.length > 0) await callNative('batchNorm', () => addon.batchNorm(x.data, out, mul, add));
  return { data: out, shape: call.outputShape };
}
