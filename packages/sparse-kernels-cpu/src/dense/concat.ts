import { ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, normalizeAxis, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * Concatenation along any axis: for each index of the axes before `axis`, every input
 * contributes one contiguous chunk, so the addon only copies rows (channel concat in NHWC is the
 * common case: one chunk of C_i values per pixel).
 */
export async function concat(addon: NativeDenseAddon, call: KernelCall<'Concat'>): Promise<Tensor> {
  const { op } = call;
  if (call.inputs.length === 0) throw new ShapeError(`${op}: needs at least one input.`);
  const inputs = call.inputs.map((_, i) => requireInput(call, i, `input ${i}`));
  const first = inputs[0]!.shape;
  const rank = first.length;
  if (rank === 0) throw new ShapeError(`${op}: inputs are scalars; concatenation needs rank >= 1.`);
  const axis = normalizeAxis(op, call.attrs.axis, rank);
  let axisTotal = 0;
  for (const t of inputs) {
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first[i])) {
      throw new ShapeError(
        `${op}: input shapes ${inputs.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${axis}; all other dimensions must match.`,
      );
    }
    axisTotal += t.shape[axis]!;
  }
  const outShape = first.map((d, i) => (i === axis ? axisTotal : d));
  expectOutputShape(op, call.outputShape, outShape);
  const out = allocOutput(sizeOf(outShape));
  expectInt32(op, 'the output size', out.length);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const chunks = Int32Array.from(inputs, (t) => t.shape[axis]! * inner);
  await callNative('concat', () => addon.concat(inputs.map((t) => t.data), out, outer, chunks));
  return { data: out, shape: call.outputShape };
}
