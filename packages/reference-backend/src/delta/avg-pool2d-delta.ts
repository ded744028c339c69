import type { DeltaBuffer, Pool2DAttrs, Tensor } from '@motiondelta/core';
import { avgPoolInverseDivisor } from '../pool2d.js';
import { requireDelta } from './delta-inputs.js';
import { deltaPoolGeometry, windowsContaining } from './pool-windows.js';

/**
 * Average pooling of a delta: each active input pixel adds delta / divisor to every window that
 * contains it, with the divisor of that window exactly as the dense kernel computes it
 * (countIncludePad, ceil-mode windows overhanging the end padding).
 */
export function avgPool2dDelta(attrs: Pool2DAttrs, inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const x = requireDelta('AvgPool2D', inputs, 0, 'x');
  const g = deltaPoolGeometry('AvgPool2D', attrs, x.values, x, out);
  const { inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  out.clear();
  const range = new Int32Array(4);
  const xv = x.values;
  const ov = out.values;
  const inPlane = inH * inW;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    windowsContaining(iy, padTop, kh, sh, outH, range, 0);
    windowsContaining(ix, padLeft, kw, sw, outW, range, 2);
    const xBase = p * c;
    for (let oy = range[0]!; oy <= range[1]!; oy++) {
      for (let ox = range[2]!; ox <= range[3]!; ox++) {
        const q = (n * outH + oy) * outW + ox;
        out.activate(q);
        const inv = avgPoolInverseDivisor(g, attrs, oy, ox);
        const oBase = q * c;
        for (let ch = 0; ch < c; ch++) ov[oBase + ch]! += xv[xBase + ch]! * inv;
      }
    }
  }
}
