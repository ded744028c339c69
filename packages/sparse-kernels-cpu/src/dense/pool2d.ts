import { ShapeError, formatShape } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectPositivePair, expectRank, requireInput, type KernelCall } from '../validate-inputs.js';
import { resolveWindowPads } from '@motiondelta/core';
import type { NativeDenseAddon } from './native-dense-addon.js';

const POOL_KIND = { MaxPool2D: 0, AvgPool2D: 1 } as const;

/**
 * Max and average pooling. As in the reference, the output size comes from the planned shape
 * (the planner decided ceil mode), accepted anywhere between the floor and ceil sizes; average
 * pooling divides by the ONNX/PyTorch count (with or without the padding).
 */
export async function pool2d(addon: NativeDenseAddon, call: KernelCall<'MaxPool2D' | 'AvgPool2D'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  expectPositivePair(op, 'kernel', attrs.kernel);
  expectPositivePair(op, 'strides', attrs.strides);
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const pads = resolveWindowPads(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, [1, 1]);
  const [padTop, padLeft, padBottom, padRight] = pads;
  const out = call.outputShape;
  const sizeRange = (size: number, k: number, s: number): [number, number] => [Math.floor((size - k) / s) + 1, Math.ceil((size - k) / s) + 1];
  const [minH, maxH] = sizeRange(inH + padTop + padBottom, attrs.kernel[0], attrs.strides[0]);
  const [minW, maxW] = sizeRange(inW + padLeft + padRight, attrs.kernel[1], attrs.strides[1]);
  const outH = out[1] ?? -1;
  const outW = out[2] ?? -1;
  if (out.length !== 4 || out[0] !== batch || out[3] !== channels || outH < Math.max(1, minH) || outH > maxH || outW < Math.max(1, minW) || outW > maxW) {
    throw new ShapeError(
      `${op}: the planned output shape ${formatShape(out)} does not fit input ${formatShape(x.shape)} with kernel [${attrs.kernel.join(',')}], strides [${attrs.strides.join(',')}], pads [${pads.join(',')}]; accepted: [${batch}, ${minH}..${maxH}, ${minW}..${maxW}, ${channels}].`,
    );
  }
  const data = allocOutput(batch * outH * outW * channels);
  expectInt32(op, 'the input size', x.data.length);
  const geometry = Int32Array.of(batch, inH, inW, channels, outH, outW, attrs.kernel[0], attrs.kernel[1], attrs.strides[0], attrs.strides[1], padTop, padLeft, padBottom, padRight);
  await callNative('pool2d', () => addon.pool2d(x.data, data, geometry, POOL_KIND[op], attrs.countIncludePad));
  return { data, shape: call.outputShape };
}
