import { convTranspose2dGeometry, expectChannelVector, expectOutputShape, optionalInput, requireInput } from '@motiondelta/core';
import type { KernelCall, Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';

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
  const { batch, inH, inW, inC, kh, kw, cinPerGroup, coutPerGroup, outC, groups, sh, sw, dh, dw, padTop, padLeft, outH, outW } =
    convTranspose2dGeometry(op, attrs, x.shape, w.shape);
  if (bias !== undefined) expectChannelVector(op, 'bias', bias, outC);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, outC]);

  const xd = x.data;
  const wd = w.data;
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
