import { ShapeError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { expectChannelVector, expectOutputShape, expectRank, optionalInput, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { expectPositivePair, resolveWindowPads } from '@motiondelta/core';

/**
 * Grouped, strided, dilated 2D convolution on NHWC input with weight [kh, kw, Cin/groups, Cout]
 * (depthwise is groups = Cin). Each output pixel accumulates all its output channels in a float64
 * row, so the innermost loop walks contiguous weights and the oracle rounds only once per value.
 */
export function conv2dKernel(call: KernelCall<'Conv2D'>): Tensor {
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
    throw new ShapeError(
      `${op}: groups=${groups} must be a positive integer dividing both input channels (${inC}) and output channels (${outC}).`,
    );
  }
  if (cinPerGroup !== inC / groups) {
    throw new ShapeError(
      `${op}: weight has ${cinPerGroup} input channels per group but x has ${inC} channels in ${groups} group(s); expected ${inC / groups}.`,
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${op}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, 'strides', attrs.strides);
  expectPositivePair(op, 'dilations', attrs.dilations);
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);

  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolveWindowPads(
    op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, attrs.dilations,
  );
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: a ${kh}x${kw} kernel (dilation ${dh}x${dw}) does not fit the padded ${inH}x${inW} input.`);
  }
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);

  const xd = x.data;
  const wd = w.data;
  const out = new Float32Array(batch * outH * outW * outC);
  const acc = new Float64Array(outC);
  const coutPerGroup = outC / groups;
  const wTapStride = cinPerGroup * outC;
  let outOffset = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sw - padLeft;
        if (bias === undefined) acc.fill(0);
        else acc.set(bias.data);
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky * dh;
          if (iy < 0 || iy >= inH) continue;
          const xRow = (n * inH + iy) * inW;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx * dw;
            if (ix < 0 || ix >= inW) continue;
            const xBase = (xRow + ix) * inC;
            const wTap = (ky * kw + kx) * wTapStride;
            for (let g = 0; g < groups; g++) {
              const accBase = g * coutPerGroup;
              const xGroup = xBase + g * cinPerGroup;
              for (let ci = 0; ci < cinPerGroup; ci++) {
                const xv = xd[xGroup + ci]!;
                const wRow = wTap + ci * outC + accBase;
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
