import type { DeltaBuffer, MaxPoolState, Pool2DAttrs } from '@motiondelta/core';
import { LOWEST_FLOAT32 } from '../pool2d.js';
import { expectStateSize } from './delta-inputs.js';
import { deltaPoolGeometry, windowsContaining } from './pool-windows.js';
import { emitWithTruncation } from './truncate.js';

const OP = 'MaxPool2D';

/**
 * Max pooling on deltas: the accumulated input takes the deltas, then every window that contains
 * an active input pixel is recomputed from the accumulated input with the dense kernel's window
 * and padding rules (padding and ceil-mode overhang never win), and emitted with truncation.
 */
export function maxPoolDelta(delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer): void {
  const g = deltaPoolGeometry(OP, attrs, state.accumulated, delta, out);
  expectStateSize(OP, 'emitted', state.emitted, out.shape);
  const { inH, inW, channels: c, outH, outW } = g;
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const { accumulated } = state;
  const dv = delta.values;
  const inPlane = inH * inW;
  const range = new Int32Array(4);

  out.clear();
  for (let i = 0; i < delta.count; i++) {
    const p = delta.active[i]!;
    const base = p * c;
    for (let ch = 0; ch < c; ch++) accumulated[base + ch]! += dv[base + ch]!;
    const n = Math.floor(p / inPlane);
    const rest = p - n * inPlane;
    const iy = Math.floor(rest / inW);
    const ix = rest - iy * inW;
    windowsContaining(iy, padTop, kh, sh, outH, range, 0);
    windowsContaining(ix, padLeft, kw, sw, outW, range, 2);
    for (let oy = range[0]!; oy <= range[1]!; oy++) {
      for (let ox = range[2]!; ox <= range[3]!; ox++) out.activate((n * outH + oy) * outW + ox);
    }
  }

  // Recompute only after every delta is in, so a window touched by several pixels sees them all.
  const ov = out.values;
  const outPlane = outH * outW;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i]!;
    const n = Math.floor(q / outPlane);
    const rest = q - n * outPlane;
    const oy = Math.floor(rest / outW);
    const ox = rest - oy * outW;
    const yStart = oy * sh - padTop;
    const xStart = ox * sw - padLeft;
    const y1 = Math.min(yStart + kh, inH);
    const x1 = Math.min(xStart + kw, inW);
    const oBase = q * c;
    ov.fill(LOWEST_FLOAT32, oBase, oBase + c);
    for (let iy = Math.max(yStart, 0); iy < y1; iy++) {
      for (let ix = Math.max(xStart, 0); ix < x1; ix++) {
        const xBase = ((n * inH + iy) * inW + ix) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = accumulated[xBase + ch]!;
          if (v > ov[oBase + ch]!) ov[oBase + ch] = v;
        }
      }
    }
  }
  emitWithTruncation(out, state.emitted, threshold);
}
