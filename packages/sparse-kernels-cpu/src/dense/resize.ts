import { ShapeError, formatShape, resizeOutputSize, resizeTaps } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, expectRank, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * ONNX Resize of H and W (nearest or bilinear, every coordinate mode of the spec). The source taps
 * come from core's `resizeTaps`, the definition the reference samples with, so nearest mode picks
 * the same pixels on .5 ties; the addon only blends.
 */
export async function resize(addon: NativeDenseAddon, call: KernelCall<'Resize'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  if (attrs.mode !== 'nearest' && attrs.mode !== 'linear') {
    throw new ShapeError(`${op}: unknown mode '${String(attrs.mode)}'; accepted: nearest, linear.`);
  }
  const [outH, outW] = resizeOutputSize(attrs, inH, inW);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0)
    throw new ShapeError(`${op}: input ${formatShape(x.shape)} has an empty spatial axis; nothing to resample from.`);
  const out = allocOutput(batch * outH * outW * c);
  expectInt32(op, 'the output size', out.length);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const geometry = Int32Array.of(batch, inH, inW, c, outH, outW);
  await callNative('resize', () =>
    addon.resize(x.data, out, geometry, rows.lo, rows.hi, Float32Array.from(rows.weight), cols.lo, cols.hi, Float32Array.from(cols.weight)),
  );
  return { data: out, shape: call.outputShape };
}
