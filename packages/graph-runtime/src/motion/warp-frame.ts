import type { Tensor } from '@motiondelta/core';
import { invert, isIntegerTranslation, type Homography3x3 } from './homography.js';

/** A frame resampled onto the viewport grid, with the viewport pixels it covers. */
export interface WarpedFrame {
  /** `[1, height, width, C]` values; 0 where not covered. */
  readonly data: Float32Array;
  /** 1 where the viewport pixel was sampled from inside the frame. */
  readonly covered: Uint8Array;
  readonly coveredCount: number;
}

/**
 * Resamples an NHWC frame (batch 1) onto a `height x width` viewport grid. `viewportFromFrame`
 * maps frame pixels to viewport pixels; each viewport pixel pulls from its inverse image. An
 * integer translation is an exact copy (no interpolation, so a stride-aligned pan reproduces the
 * frame's values bit for bit); anything else is bilinear, and a viewport pixel whose source lies
 * outside the frame is not covered (motion mode sends no update there).
 */
export function warpFrame(frame: Tensor, viewportFromFrame: Homography3x3, height: number, width: number, out?: WarpedFrame): WarpedFrame {
  const [, fh, fw, c] = frame.shape as [number, number, number, number];
  const data = out?.data ?? new Float32Array(height * width * c);
  const covered = out?.covered ?? new Uint8Array(height * width);
  data.fill(0);
  covered.fill(0);
  const src = frame.data;
  let count = 0;
  if (isIntegerTranslation(viewportFromFrame)) {
    // viewport (y, x) <- frame (y - ty, x - tx)
    const tx = Math.round(viewportFromFrame[2]!);
    const ty = Math.round(viewportFromFrame[5]!);
    for (let y = 0; y < height; y++) {
      const sy = y - ty;
      if (sy < 0 || sy >= fh) continue;
      const x0 = Math.max(0, tx);
      const x1 = Math.min(width, fw + tx);
      if (x1 <= x0) continue;
      data.set(src.subarray((sy * fw + x0 - tx) * c, (sy * fw + x1 - tx) * c), (y * width + x0) * c);
      covered.fill(1, y * width + x0, y * width + x1);
      count += x1 - x0;
    }
    return { data, covered, coveredCount: count };
  }
  const m = invert(viewportFromFrame);
  const maxX = fw - 1 + 1e-6;
  const maxY = fh - 1 + 1e-6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = m[6]! * x + m[7]! * y + m[8]!;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / w;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / w;
      if (!(sx >= -1e-6 && sy >= -1e-6 && sx <= maxX && sy <= maxY)) continue;
      const x0 = Math.min(Math.max(Math.floor(sx), 0), fw - 1);
      const y0 = Math.min(Math.max(Math.floor(sy), 0), fh - 1);
      const x1 = Math.min(x0 + 1, fw - 1);
      const y1 = Math.min(y0 + 1, fh - 1);
      const ax = Math.min(Math.max(sx - x0, 0), 1);
      const ay = Math.min(Math.max(sy - y0, 0), 1);
      const p = y * width + x;
      const o = p * c;
      const i00 = (y0 * fw + x0) * c;
      const i01 = (y0 * fw + x1) * c;
      const i10 = (y1 * fw + x0) * c;
      const i11 = (y1 * fw + x1) * c;
      for (let ch = 0; ch < c; ch++) {
        const top = src[i00 + ch]! + ax * (src[i01 + ch]! - src[i00 + ch]!);
        const bottom = src[i10 + ch]! + ax * (src[i11 + ch]! - src[i10 + ch]!);
        data[o + ch] = top + ay * (bottom - top);
      }
      covered[p] = 1;
      count++;
    }
  }
  return { data, covered, coveredCount: count };
}
