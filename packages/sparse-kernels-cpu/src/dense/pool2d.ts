import { pool2dGeometry } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, requireInput, type KernelCall } from '../validate-inputs.js';
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
  const { batch, inH, inW, channels, outH, outW, pads } = pool2dGeometry(op, attrs, x.shape, call.outputShape);
  const [padTop, padLeft, padBottom, padRight] = pads;
  const data = allocOutput(batch * outH * outW * channels);
  expectInt32(op, 'the input size', x.data.length);
  const geometry = Int32Array.of(
    batch,
    inH,
    inW,
    channels,
    outH,
    outW,
    attrs.kernel[0],
    attrs.kernel[1],
    attrs.strides[0],
    attrs.strides[1],
    padTop,
    padLeft,
    padBottom,
    padRight,
  );
  await callNative('pool2d', () => addon.pool2d(x.data, data, geometry, POOL_KIND[op], attrs.countIncludePad));
  return { data, shape: call.outputShape };
}
