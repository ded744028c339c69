import { conv2dGeometry, expectChannelVector, expectOutputShape, optionalInput, requireInput } from '@motiondelta/core';
import type { KernelCall, Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';

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
  const { batch, inH, inW, inC, kh, kw, cinPerGroup, outC, groups, sh, sw, dh, dw, padTop, padLeft, outH, outW } = conv2dGeometry(
    op,
    attrs,
    x.shape,
    w.shape,
  );
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);
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
