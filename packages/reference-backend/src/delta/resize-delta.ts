import { ShapeError, formatShape, resizeInverseRanges, resizeOutputSize, resizeTaps } from '@motiondelta/core';
import type { DeltaBuffer, ResizeAttrs, ResizeAxisTaps, Tensor } from '@motiondelta/core';
import { expectOutShape, requireDelta } from './delta-inputs.js';

const OP = 'Resize';

/**
 * Resize (nearest or bilinear, every coordinate mode) of a delta. Resampling is linear in the
 * input, so the output delta is the dense formula applied to the input delta with 0 at inactive
 * pixels. Two passes: mark every output whose taps include an active input pixel, then gather
 * each marked output with the dense kernel's own taps and arithmetic, so both sample the same
 * pixels (nearest-mode ties included).
 *
 * The per-axis tap tables cost O(H + W) per call, not O(H * W): that is the price of sharing the
 * dense kernel's coordinate code instead of inverting each coordinate mode by hand.
 */
export function resizeDelta(attrs: ResizeAttrs, inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const x = requireDelta(OP, inputs, 0, 'x');
  const [batch, inH, inW, c] = x.shape;
  if (inH === 0 || inW === 0) {
    throw new ShapeError(`${OP}: input ${formatShape(x.shape)} has an empty spatial axis; nothing to resample from.`);
  }
  const [outH, outW] = resizeOutputSize(attrs, inH, inW);
  expectOutShape(OP, out, [batch, outH, outW, c]);
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const rowRange = resizeInverseRanges(rows, inH);
  const colRange = resizeInverseRanges(cols, inW);

  out.clear();
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    for (let oy = rowRange[2 * iy]!; oy <= rowRange[2 * iy + 1]!; oy++) {
      if (!reads(rows, oy, iy)) continue;
      const rowBase = (n * outH + oy) * outW;
      for (let ox = colRange[2 * ix]!; ox <= colRange[2 * ix + 1]!; ox++) {
        if (reads(cols, ox, ix)) out.activate(rowBase + ox);
      }
    }
  }

  const xv = x.values;
  const mask = x.mask;
  const ov = out.values;
  const outPlane = outH * outW;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i]!;
    const n = Math.floor(q / outPlane);
    const rest = q - n * outPlane;
    const oy = Math.floor(rest / outW);
    const ox = rest - oy * outW;
    const r0 = (n * inH + rows.lo[oy]!) * inW;
    const r1 = (n * inH + rows.hi[oy]!) * inW;
    const c0 = cols.lo[ox]!;
    const c1 = cols.hi[ox]!;
    // Inactive input pixels did not change: they contribute a zero delta (and must not be read).
    const p00 = mask[r0 + c0] === 1 ? (r0 + c0) * c : -1;
    const p01 = mask[r0 + c1] === 1 ? (r0 + c1) * c : -1;
    const p10 = mask[r1 + c0] === 1 ? (r1 + c0) * c : -1;
    const p11 = mask[r1 + c1] === 1 ? (r1 + c1) * c : -1;
    const wy = rows.weight[oy]!;
    const wx = cols.weight[ox]!;
    const oBase = q * c;
    for (let ch = 0; ch < c; ch++) {
      const d00 = p00 < 0 ? 0 : xv[p00 + ch]!;
      const d01 = p01 < 0 ? 0 : xv[p01 + ch]!;
      const d10 = p10 < 0 ? 0 : xv[p10 + ch]!;
      const d11 = p11 < 0 ? 0 : xv[p11 + ch]!;
      const top = d00 + wx * (d01 - d00);
      const bottom = d10 + wx * (d11 - d10);
      ov[oBase + ch] = top + wy * (bottom - top);
    }
  }
}

/** Whether output index `o` depends on input index `i` (a second tap of weight 0 does not count). */
function reads(taps: ResizeAxisTaps, o: number, i: number): boolean {
  return taps.lo[o] === i || (taps.hi[o] === i && taps.weight[o] !== 0);
}
