import { concatGeometry, expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall, Tensor } from '@motiondelta/core';

/**
 * Concatenation along any axis (negative counts from the end). Every input contributes one
 * contiguous chunk per index of the axes before `axis`, so the copy is a sequence of `set` calls.
 */
export function concatKernel(call: KernelCall<'Concat'>): Tensor {
  const { op } = call;
  const inputs = call.inputs.map((_, i) => requireInput(call, i, `input ${i}`));
  const { axis, outShape, outer, inner } = concatGeometry(
    op,
    call.attrs.axis,
    inputs.map((t) => t.shape),
  );
  expectOutputShape(op, call.outputShape, outShape);
  const outRow = outShape[axis]! * inner;
  const out = new Float32Array(outer * outRow);
  let rowOffset = 0;
  for (const t of inputs) {
    const chunk = t.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * outRow + rowOffset);
    }
    rowOffset += chunk;
  }
  return { data: out, shape: call.outputShape };
}
