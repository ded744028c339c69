import { convTranspose2dGeometry } from '@motiondelta/core';
import type { ConvTranspose2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape, requireConstant, requireDelta } from './delta-inputs.js';

const OP = 'ConvTranspose2D';

/**
 * Transposed convolution of a delta. The op is a scatter by definition: input pixel iy lands on
 * full-output row iy*stride + ky*dilation, shifted by the top/left crop; rows cropped away or
 * beyond the output are dropped. Bias is ignored (it cancels in a difference).
 */
export function convTranspose2dDelta(
  attrs: ConvTranspose2DAttrs,
  inputs: readonly (DeltaBuffer | Tensor | undefined)[],
  out: DeltaBuffer,
): void {
  const x = requireDelta(OP, inputs, 0, 'x');
  const w = requireConstant(OP, inputs, 1, 'weight');
  const { batch, inH, inW, inC, kh, kw, cinPerGroup, coutPerGroup, outC, groups, sh, sw, dh, dw, padTop, padLeft, outH, outW } =
    convTranspose2dGeometry(OP, attrs, x.shape, w.shape);
  expectOutShape(OP, out, [batch, outH, outW, outC]);

  out.clear();
  const xv = x.values;
  const wd = w.data;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * inC;
    for (let ky = 0; ky < kh; ky++) {
      const oy = iy * sh + ky * dh - padTop;
      if (oy < 0 || oy >= outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ox = ix * sw + kx * dw - padLeft;
        if (ox < 0 || ox >= outW) continue;
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const oBase = q * outC;
        const wTap = (ky * kw + kx) * inC;
        for (let g = 0; g < groups; g++) {
          const oGroup = oBase + g * coutPerGroup;
          for (let ci = g * cinPerGroup, end = ci + cinPerGroup; ci < end; ci++) {
            const d = xv[xBase + ci]!;
            const wRow = (wTap + ci) * coutPerGroup;
            for (let co = 0; co < coutPerGroup; co++) ov[oGroup + co]! += d * wd[wRow + co]!;
          }
        }
      }
    }
  }
}
