import { conv2dGeometry } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectChannelVector, expectInt32, expectOutputShape, optionalInput, requireInput, type KernelCall } from '../validate-inputs.js';
import { encodeActivation } from './native-activation.js';
import type { ConvWeightPacks } from './conv-weight-packs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * Conv2D on NHWC with weight [kh, kw, Cin/groups, Cout]: validated here like the reference
 * kernel, computed natively (depthwise direct loop, or im2col + GEMM per group with the weights
 * packed once per weight tensor).
 */
export async function conv2d(addon: NativeDenseAddon, call: KernelCall<'Conv2D'>, packs: ConvWeightPacks): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const w = requireInput(call, 1, 'weight');
  const bias = optionalInput(call, 2, 'bias');
  const { batch, inH, inW, inC, kh, kw, outC, groups, sh, sw, dh, dw, padTop, padLeft, outH, outW } = conv2dGeometry(
    op,
    attrs,
    x.shape,
    w.shape,
  );
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);
  const out = allocOutput(batch * outH * outW * outC);
  expectInt32(op, 'the output size', out.length);
  expectInt32(op, 'the input size', x.data.length);
  const activation = encodeActivation(op, attrs.activation, outC);
  const geometry = Int32Array.of(batch, inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, padTop, padLeft, groups);
  const packed = await packs.get(w.data, bias?.data ?? null, geometry);
  await callNative('conv2d', () => addon.conv2d(x.data, w.data, bias?.data ?? null, out, geometry, activation, packed));
  return { data: out, shape: call.outputShape };
}
