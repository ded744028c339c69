import { concatGeometry, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * Concatenation along any axis: for each index of the axes before `axis`, every input
 * contributes one contiguous chunk, so the addon only copies rows (channel concat in NHWC is the
 * common case: one chunk of C_i values per pixel).
 */
export async function concat(addon: NativeDenseAddon, call: KernelCall<'Concat'>): Promise<Tensor> {
  const { op } = call;
  const inputs = call.inputs.map((_, i) => requireInput(call, i, `input ${i}`));
  const { axis, outShape, outer, inner } = concatGeometry(
    op,
    call.attrs.axis,
    inputs.map((t) => t.shape),
  );
  expectOutputShape(op, call.outputShape, outShape);
  const out = allocOutput(sizeOf(outShape));
  expectInt32(op, 'the output size', out.length);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const chunks = Int32Array.from(inputs, (t) => t.shape[axis]! * inner);
  await callNative('concat', () =>
    addon.concat(
      inputs.map((t) => t.data),
      out,
      outer,
      chunks,
    ),
  );
  return { data: out, shape: call.outputShape };
}
