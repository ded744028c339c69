import { ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { expectOutputShape, normalizeAxis, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * Concatenation along any axis (negative counts from the end). Every input contributes one
 * contiguous chunk per index of the axes before `axis`, so the copy is a sequence of `set` calls.
 */
export function concatKernel(call: KernelCall<'Concat'>): Tensor {
  const { op } = call;
  if (call.inputs.length === 0) throw new ShapeError(`${op}: needs at least one input.`);
  const inputs = call.inputs.map((_, i) => requireInput(call, i, `input ${i}`));
  const first = inputs[0]!.shape;
  const rank = first.length;
  if (rank === 0) throw new ShapeError(`${op}: inputs are scalars; concatenation needs rank >= 1.`);
  const axis = normalizeAxis(op, call.attrs.axis, rank);
  let axisTotal = 0;
  for (const t of inputs) {
    const mismatch = t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first[i]);
    if (mismatch) {
      throw new ShapeError(
        `${op}: input shapes ${inputs.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${axis}; all other dimensions must match.`,
      );
    }
    axisTotal += t.shape[axis]!;
  }
  const outShape = first.map((d, i) => (i === axis ? axisTotal : d));
  expectOutputShape(op, call.outputShape, outShape);
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const outRow = axisTotal * inner;
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
