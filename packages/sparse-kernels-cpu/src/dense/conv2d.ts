import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import {
  expectChannelVector,
  expectInt32,
  expectOutputShape,
  expectPositivePair,
  expectRank,
  optionalInput,
  requireInput,
  type KernelCall,
} from '../validate-inputs.js';
import { resolveWindowPads } from '@motiondelta/core';
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
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  expectRank(op, 'weight', w.shape, 4, '[kh, kw, Cin/groups, Cout]');
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const [kh, kw, cinPerGroup, outC] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0) {
    throw new ShapeError(`${op}: groups=${groups} must be a positive integer dividing both input channels (${inC}) and output channels (${outC}).`);
  }
  if (cinPerGroup !== inC / groups) {
    throw new ShapeError(`${op}: weight has ${cinPerGroup} input channels per group but x has ${inC} channels in ${groups} group(s); expected ${inC / groups}.`);
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${op}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, 'strides', attrs.strides);
  expectPositivePair(op, 'dilations', attrs.dilations);
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolveWindowPads(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, attrs.dilations);
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: a ${kh}x${kw} kernel (dilation ${dh}x${dw}) does not fit the padded ${inH}x${inW} input.`);
  }
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
