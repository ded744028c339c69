import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import {
  expectChannelVector,
  expectInt32,
  expectNonNegativeInts,
  expectOutputShape,
  expectPositivePair,
  expectRank,
  optionalInput,
  requireInput,
  type KernelCall,
} from '../validate-inputs.js';
import { encodeActivation } from './native-activation.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * Transposed convolution on NHWC with weight [kh, kw, Cin, Cout/groups]: `pads` crop the full
 * transposed output, `outputPadding` extends it at the bottom/right (as the reference kernel).
 */
export async function convTranspose2d(addon: NativeDenseAddon, call: KernelCall<'ConvTranspose2D'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const w = requireInput(call, 1, 'weight');
  const bias = optionalInput(call, 2, 'bias');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  expectRank(op, 'weight', w.shape, 4, '[kh, kw, Cin, Cout/groups]');
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const [kh, kw, wInC, coutPerGroup] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0) {
    throw new ShapeError(`${op}: groups=${groups} must be a positive integer dividing the input channels (${inC}).`);
  }
  if (wInC !== inC) {
    throw new ShapeError(`${op}: weight has ${wInC} input channels but x has ${inC}; weight layout is [kh, kw, Cin, Cout/groups].`);
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${op}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, 'strides', attrs.strides);
  expectPositivePair(op, 'dilations', attrs.dilations);
  expectNonNegativeInts(op, 'pads', attrs.pads, 4);
  expectNonNegativeInts(op, 'outputPadding', attrs.outputPadding, 2);
  const outC = coutPerGroup * groups;
  if (outC < 1) throw new ShapeError(`${op}: weight ${JSON.stringify(w.shape)} has no output channels.`);
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = attrs.pads;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + attrs.outputPadding[0] - padTop - padBottom;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + attrs.outputPadding[1] - padLeft - padRight;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop away the whole ${inH}x${inW} transposed output.`);
  }
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);
  const out = allocOutput(batch * outH * outW * outC);
  expectInt32(op, 'the output size', out.length);
  expectInt32(op, 'the input size', x.data.length);
  const activation = encodeActivation(op, attrs.activation, outC);
  const geometry = Int32Array.of(batch, inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, padTop, padLeft, groups);
  await callNative('convTranspose2d', () => addon.convTranspose2d(x.data, w.data, bias?.data ?? null, out, geometry, activation));
  return { data: out, shape: call.outputShape };
}
