import { ShapeError, type TensorMap } from '@motiondelta/core';
import type { OutputDifference } from '../output-error.js';

/** A motion frame's outputs against dense inference on the raw frame, where they can be compared. */
export interface MappedDifference extends OutputDifference {
  /** Fraction of the motion outputs' values that were compared (their footprint maps inside the frame). */
  readonly comparedFraction: number;
}

/** Input pixels per output pixel along y and x (0.5 for a 2x upsampler, 16 for a stride-16 head). */
export interface OutputScale {
  readonly y: number;
  readonly x: number;
}

/**
 * Compares motion outputs, which lie on the viewport grid, with the dense outputs of the same
 * frame, which lie on the frame grid. For every motion output pixel `(i, j)` of an output with
 * `scale` input pixels per output pixel:
 *
 * 1. its footprint centre in viewport pixels is `((i + 0.5)·scale.y − 0.5, (j + 0.5)·scale.x − 0.5)`;
 * 2. `frameFromViewport` takes it to frame pixels `(fy, fx)`; the pixel is compared only when
 *    that point lies on the frame, `−0.5 ≤ fx ≤ W − 0.5` and `−0.5 ≤ fy ≤ H − 0.5` (pixel
 *    centres are at integers): viewport pixels the frame does not cover hold older content and
 *    have no dense counterpart;
 * 3. the dense output is sampled there, bilinearly, at `((fy + 0.5)/scale.y − 0.5, (fx + 0.5)/scale.x − 0.5)`
 *    (clamped to its grid; positions within 1e-6 of a grid point take that point exactly, so an
 *    unmoved or integer-aligned viewport compares value for value).
 *
 * Per output, PSNR is `10·log10(peak² / MSE)` over the compared values with `peak = max − min` of
 * the whole dense output (1 when constant), as for the other modes; the frame takes its worst
 * output, and the largest absolute difference over all compared values. A NaN counts as an
 * infinite error.
 *
 * @example
 * ```ts
 * const d = compareMappedOutputs(motionOut, denseOut, session.frameGeometry!.frameFromViewport,
 *   (name) => session.outputScale(name)!, [288, 384]);
 * ```
 */
export function compareMappedOutputs(
  mine: TensorMap,
  dense: TensorMap,
  frameFromViewport: readonly number[],
  scaleOf: (name: string) => OutputScale | undefined,
  frameSize: readonly [number, number],
): MappedDifference {
  const [fh, fw] = frameSize;
  const m = frameFromViewport;
  let psnr = Number.POSITIVE_INFINITY;
  let maxAbsError = 0;
  let compared = 0;
  let total = 0;
  for (const [name, reference] of Object.entries(dense)) {
    const ours = mine[name];
    if (!ours || ours.data.length !== reference.data.length || reference.shape.length !== 4) {
      throw new ShapeError(`Output '${name}' of the motion session (${ours ? `[${ours.shape.join(',')}]` : 'missing'}) cannot be compared with the dense output [${reference.shape.join(',')}].`);
    }
    const [, oh, ow, c] = reference.shape as [number, number, number, number];
    const scale = scaleOf(name) ?? { y: fh / oh, x: fw / ow };
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of reference.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const peak = hi > lo ? hi - lo : 1;
    let sq = 0;
    let n = 0;
    let worst = 0;
    total += oh * ow * c;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const vy = (i + 0.5) * scale.y - 0.5;
        const vx = (j + 0.5) * scale.x - 0.5;
        const w = m[6]! * vx + m[7]! * vy + m[8]!;
        const fx = (m[0]! * vx + m[1]! * vy + m[2]!) / w;
        const fy = (m[3]! * vx + m[4]! * vy + m[5]!) / w;
        if (!(fx >= -0.5 && fy >= -0.5 && fx <= fw - 0.5 && fy <= fh - 0.5)) continue;
        const u = snap(Math.min(Math.max((fx + 0.5) / scale.x - 0.5, 0), ow - 1));
        const v = snap(Math.min(Math.max((fy + 0.5) / scale.y - 0.5, 0), oh - 1));
        const u0 = Math.floor(u);
        const v0 = Math.floor(v);
        const u1 = Math.min(u0 + 1, ow - 1);
        const v1 = Math.min(v0 + 1, oh - 1);
        const au = u - u0;
        const av = v - v0;
        const base = (i * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          const d00 = reference.data[(v0 * ow + u0) * c + ch]!;
          const d01 = reference.data[(v0 * ow + u1) * c + ch]!;
          const d10 = reference.data[(v1 * ow + u0) * c + ch]!;
          const d11 = reference.data[(v1 * ow + u1) * c + ch]!;
          const top = au === 0 ? d00 : d00 + au * (d01 - d00);
          const bottom = au === 0 ? d10 : d10 + au * (d11 - d10);
          const expected = av === 0 ? top : top + av * (bottom - top);
          const diff = Math.abs(ours.data[base + ch]! - expected);
          const e = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
          if (e > worst) worst = e;
          sq += e * e;
          n++;
        }
      }
    }
    compared += n;
    maxAbsError = Math.max(maxAbsError, worst);
    if (n > 0 && sq > 0) psnr = Math.min(psnr, 10 * Math.log10((peak * peak) / (sq / n)));
  }
  return { psnr, maxAbsError, exact: maxAbsError === 0, comparedFraction: total > 0 ? compared / total : 0 };
}

/** Grid positions within rounding of an integer are that integer, so aligned grids compare exactly. */
function snap(t: number): number {
  const r = Math.round(t);
  return Math.abs(t - r) < 1e-6 ? r : t;
}
