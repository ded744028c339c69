import { conv2dGeometry } from '@motiondelta/core';
import type { Conv2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape, requireConstant, requireDelta } from './delta-inputs.js';

const OP = 'Conv2D';

/**
 * Convolution of a delta (bias ignored: it cancels in a difference). Each active input pixel
 * scatters its contribution to every output pixel whose window contains it, so the output mask
 * is the input mask dilated by the kernel footprint and cut by the output bounds; with stride > 1
 * an input pixel between the sampled positions of a dilated tap may reach no output at all.
 * Scattering (rather than gathering per output) keeps the work at active pixels x taps.
 */
export function conv2dDelta(attrs: Conv2DAttrs, inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const x = requireDelta(OP, inputs, 0, 'x');
  const w = requireConstant(OP, inputs, 1, 'weight');
  const { batch, inH, inW, inC, outC, kh, kw, cinPerGroup, groups, sh, sw, dh, dw, padTop, padLeft, outH, outW } = conv2dGeometry(
    OP,
    attrs,
    x.shape,
    w.shape,
  );
  expectOutShape(OP, out, [batch, outH, outW, outC]);

  out.clear();
  const xv = x.values;
  const wd = w.data;
  const ov = out.values;
  const coutPerGroup = outC / groups;
  const wTapStride = cinPerGroup * outC;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    const xBase = p * inC;
    // Output oy reads input iy through tap ky when oy*sh - padTop + ky*dh = iy.
    for (let ky = 0; ky < kh; ky++) {
      const ty = iy + padTop - ky * dh;
      if (ty < 0 || ty % sh !== 0) continue;
      const oy = ty / sh;
      if (oy >= outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const tx = ix + padLeft - kx * dw;
        if (tx < 0 || tx % sw !== 0) continue;
        const ox = tx / sw;
        if (ox >= outW) continue;
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const oBase = q * outC;
        const wTap = (ky * kw + kx) * wTapStride;
        for (let g = 0; g < groups; g++) {
          const oGroup = oBase + g * coutPerGroup;
          const xGroup = xBase + g * cinPerGroup;
          for (let ci = 0; ci < cinPerGroup; ci++) {
            const d = xv[xGroup + ci]!;
            const wRow = wTap + ci * outC + g * coutPerGroup;
            for (let co = 0; co < coutPerGroup; co++) ov[oGroup + co]! += d * wd[wRow + co]!;
          }
        }
      }
    }
  }
}
