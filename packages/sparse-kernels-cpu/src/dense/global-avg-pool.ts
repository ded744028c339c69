import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, expectRank, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/** Mean over H and W of an NHWC tensor, to [N, 1, 1, C] (squeeze-excite blocks use it). */
export async function globalAvgPool(addon: NativeDenseAddon, call: KernelCall<'GlobalAvgPool'>): Promise<Tensor> {
  const x = requireInput(call, 0, 'x');
  expectRank(call.op, 'input x', x.shape, 4, 'NHWC');
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  expectOutputShape(call.op, call.outputShape, [batch, 1, 1, c]);
  expectInt32(call.op, 'the input size', x.data.length);
  const out = allocOutput(batch * c);
  await callNative('globalAvgPool', () => addon.globalAvgPool(x.data, out, batch, h * w, c));
  return { data: out, shape: call.outputShape };
}
