import { ShapeError } from '@motiondelta/core';
import type { ComparedTensor, OutputError } from '../models/output-error.js';

/** The error of a motion frame against dense inference on the raw frame, and how much was compared. */
export interface MappedError extends OutputError {
  /** Fraction of output values compared (those whose footprint centre lies on the frame). */
  readonly comparedFraction: number;
}

/**
 * Motion outputs lie on the viewport grid, dense outputs on the frame grid. Output pixel `(i, j)`
 * of an output with `scale` input pixels per output pixel has its footprint centre at viewport
 * `((i + 0.5)·s.y − 0.5, (j + 0.5)·s.x − 0.5)`; `frameFromViewport` takes it to the frame; it is
 * compared only when it lands on the frame (`−0.5 ≤ f ≤ size − 0.5`), against the dense output
 * sampled there bilinearly (grid points within 1e-6 taken exactly, so an aligned viewport compares
 * value for value). Per output: max abs error, relative L2 and PSNR with peak = range of the
 * dense output, over the compared values; the frame takes its worst output. (The same definition
 * as `motiondelta run --mode motion`.)
 *
 * @example
 * ```ts
 * const e = mappedError(outputs, dense, session.frameGeometry!.frameFromViewport, (n) => session.outputScale(n), [144, 192]);
 * ```
 */
export function mappedError(
  mine: Readonly<Record<string, ComparedTensor>>,
  dense: Readonly<Record<string, ComparedTensor>>,
  frameFromViewport: readonly number[],
  scaleOf: (name: string) => { readonly y: number; readonly x: number } | undefined,
  frameSize: readonly [number, number],
): MappedError {
  const [fh, fw] = frameSize;
  const m = frameFromViewport;
  let maxAbs = 0;
  let relL2 = 0;
  let psnrDb: number | null = null;
  let compared = 0;
  let total = 0;
  for (const [name, ref] of Object.entries(dense)) {
    const ours = mine[name];
    if (!ours || ours.data.length !== ref.data.length || ref.shape.length !== 4) {
      throw new ShapeError(`Output '${name}' of the motion session cannot be compared with the dense output [${ref.shape.join(',')}].`);
    }
    const [, oh, ow, c] = ref.shape as [number, number, number, number];
    const s = scaleOf(name) ?? { y: fh / oh, x: fw / ow };
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ref.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const peak = hi > lo ? hi - lo : 1;
    let sq = 0;
    let refSq = 0;
    let n = 0;
    total += oh * ow * c;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const vy = (i + 0.5) * s.y - 0.5;
        const vx = (j + 0.5) * s.x - 0.5;
        const w = m[6]! * vx + m[7]! * vy + m[8]!;
        const fx = (m[0]! * vx + m[1]! * vy + m[2]!) / w;
        const fy = (m[3]! * vx + m[4]! * vy + m[5]!) / w;
        if (!(fx >= -0.5 && fy >= -0.5 && fx <= fw - 0.5 && fy <= fh - 0.5)) continue;
        const u = snap(Math.min(Math.max((fx + 0.5) / s.x - 0.5, 0), ow - 1));
        const v = snap(Math.min(Math.max((fy + 0.5) / s.y - 0.5, 0), oh - 1));
        const u0 = Math.floor(u);
        const v0 = Math.floor(v);
        const u1 = Math.min(u0 + 1, ow - 1);
        const v1 = Math.min(v0 + 1, oh - 1);
        const au = u - u0;
        const av = v - v0;
        for (let ch = 0; ch < c; ch++) {
          const at = (y: number, x: number): number => ref.data[(y * ow + x) * c + ch]!;
          const top = au === 0 ? at(v0, u0) : at(v0, u0) + au * (at(v0, u1) - at(v0, u0));
          const bottom = au === 0 ? at(v1, u0) : at(v1, u0) + au * (at(v1, u1) - at(v1, u0));
          const expected = av === 0 ? top : top + av * (bottom - top);
          const d = Math.abs(ours.data[(i * ow + j) * c + ch]! - expected);
          const e = Number.isNaN(d) ? Infinity : d;
          if (e > maxAbs) maxAbs = e;
          sq += e * e;
          refSq += expected * expected;
          n++;
        }
      }
    }
    compared += n;
    if (n > 0) {
      relL2 = Math.max(relL2, refSq > 0 ? Math.sqrt(sq / refSq) : Math.sqrt(sq));
      if (sq > 0) {
        const p = 10 * Math.log10((peak * peak) / (sq / n));
        psnrDb = psnrDb === null ? p : Math.min(psnrDb, p);
      }
    }
  }
  return { maxAbs, relL2, psnrDb, comparedFraction: total > 0 ? compared / total : 0 };
}

function snap(t: number): number {
  const r = Math.round(t);
  return Math.abs(t - r) < 1e-6 ? r : t;
}
