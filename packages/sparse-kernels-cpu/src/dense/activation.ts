import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import { encodeActivation } from './native-activation.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/** The standalone Activation op: `out = activation(x)`, channels on the last axis (for PReLU). */
export async function activation(addon: NativeDenseAddon, call: KernelCall<'Activation'>): Promise<Tensor> {
  const x = requireInput(call, 0, 'x');
  expectOutputShape(call.op, call.outputShape, x.shape);
  expectInt32(call.op, 'the input size', x.data.length);
  const channels = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  const spec = encodeActivation(call.op, call.attrs.activation, channels);
  if (spec === null) return { data: Float32Array.from(x.data), shape: call.outputShape };
  const out = allocOutput(x.data.length);
  if (out.length > 0) await callNative('activation', () => addon.activation(x.data, out, Math.max(channels, 1), spec));
  return { data: out, shape: call.outputShape };
}
