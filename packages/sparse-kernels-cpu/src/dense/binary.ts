import { sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import { broadcastShapes, broadcastStrides, coalesceAxes } from './broadcast.js';
import { encodeActivation } from './native-activation.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

export const BINARY_OP = { Add: 0, Sub: 1, Mul: 2, Div: 3, Max: 4, Min: 5 } as const;

/**
 * Add/Sub/Mul/Div/Max/Min (NaN propagates, as Math.max/min) with numpy broadcasting of any ranks (same shape, per channel, scalar,
 * [N,1,1,C] squeeze-excite scales, ...), then the fused activation. The addon walks the output row
 * by row with each operand's strides, 0 where it broadcasts.
 */
export async function binary(addon: NativeDenseAddon, call: KernelCall<'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min'>): Promise<Tensor> {
  const { op } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const outShape = broadcastShapes(op, a.shape, b.shape);
  expectOutputShape(op, call.outputShape, outShape);
  const out = allocOutput(sizeOf(outShape));
  expectInt32(op, 'the output size', out.length);
  const channels = outShape.length === 0 ? 1 : outShape[outShape.length - 1]!;
  const spec = encodeActivation(op, call.attrs.activation, channels);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  // A scalar result is a one-element row read at offset 0 of both operands.
  const full =
    outShape.length === 0
      ? { shape: [1], a: [0], b: [0] }
      : { shape: outShape, a: broadcastStrides(a.shape, outShape), b: broadcastStrides(b.shape, outShape) };
  // A per-channel PReLU needs rows that are exactly the channel axis; anything else may merge it.
  const keepLastAxis = spec !== null && spec.slope !== null && spec.slope.length > 1;
  const { shape, a: aStrides, b: bStrides } = coalesceAxes(full.shape, full.a, full.b, keepLastAxis);
  await callNative('binary', () =>
    addon.binary(a.data, b.data, out, BINARY_OP[op], Int32Array.from(shape), Int32Array.from(aStrides), Int32Array.from(bStrides), spec),
  );
  return { data: out, shape: call.outputShape };
}
