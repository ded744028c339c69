import { ShapeError } from '@motiondelta/core';
import type { Conv2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectPositivePair, resolveWindowPads } from '@motiondelta/core';
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
  if (w.shape.length !== 4) throw new ShapeError(`${OP}: weight has rank ${w.shape.length}; expected [kh, kw, Cin/groups, Cout].`);
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, cinPerGroup, outC] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0 || cinPerGroup !== inC / groups) {
    throw new ShapeError(
      `${OP}: weight [${w.shape.join(',')}] with groups=${groups} does not fit ${inC} input channels; expected [kh, kw, ${inC}/groups, Cout] with groups dividing Cin and Cout.`,
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${OP}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(OP, 'strides', attrs.strides);
  expectPositivePair(OP, 'dilations', attrs.dilations);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolveWindowPads(OP, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, attrs.dilations);
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
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
