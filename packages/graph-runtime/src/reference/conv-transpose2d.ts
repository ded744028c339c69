import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { expectChannelVector, expectOutputShape, expectRank, optionalInput, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { expectPositivePair } from '@motiondelta/core';

/**
 * Transposed 2D convolution (the gradient of Conv2D with respect to its input) on NHWC input with
 * weight [kh, kw, Cin, Cout/groups]. Input pixel iy scatters to full-output row iy*stride +
 * ky*dilation; `pads` crop that full output and `outputPadding` extends it at the bottom/right.
 * Written as a gather over output pixels so each output row accumulates in float64 once.
 */
export function convTranspose2dKernel(call: KernelCall<'ConvTranspose2D'>): Tensor {
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
  const [padTop, padLeft, padBottom, padRight] = attrs.pads;
  const [opadH, opadW] = attrs.outputPadding;
  if ([padTop, padLeft, padBottom, padRight, opadH, opadW].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new ShapeError(
      `${op}: pads [${attrs.pads.join(',')}] and outputPadding [${attrs.outputPadding.join(',')}] must be non-negative integers.`,
    );
  }
  const outC = coutPerGroup * groups;
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);

  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + opadH - padTop - padBottom;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + opadW - padLeft - padRight;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop away the whole ${inH}x${inW} transposed output.`);
  }
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);

  const xd = x.data;
  const wd = w.data;
  const cinPerGroup = inC / groups;
  const out = new Float32Array(batch * outH * outW * outC);
  const acc = new Float64Array(outC);
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const fy = oy + padTop;
      for (let ox = 0; ox < outW; ox++) {
        const fx = ox + padLeft;
        if (bias === undefined) acc.fill(0);
        else acc.set(bias.data);
        for (let ky = 0; ky < kh; ky++) {
          const ty = fy - ky * dh;
          if (ty < 0 || ty % sh !== 0) continue;
          const iy = ty / sh;
          if (iy >= inH) continue;
          for (let kx = 0; kx < kw; kx++) {
            const tx = fx - kx * dw;
            if (tx < 0 || tx % sw !== 0) continue;
            const ix = tx / sw;
            if (ix >= inW) continue;
            const xBase = ((n * inH + iy) * inW + ix) * inC;
            const wTap = (ky * kw + kx) * inC;
            for (let g = 0; g < groups; g++) {
              const accBase = g * coutPerGroup;
              for (let ci = g * cinPerGroup, end = ci + cinPerGroup; ci < end; ci++) {
                const xv = xd[xBase + ci]!;
                const wRow = (wTap + ci) * coutPerGroup;
                for (let co = 0; co < coutPerGroup; co++) acc[accBase + co]! += xv * wd[wRow + co]!;
              }
            }
          }
        }
        out.set(acc, outOffset);
        outOffset += outC;
      }
    }
  }
  if (attrs.activation !== undefined) applyActivation(out, outC, attrs.activation);
  return { data: out, shape: call.outputShape };
}
