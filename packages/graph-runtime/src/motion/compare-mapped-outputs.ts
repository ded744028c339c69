import { ShapeError } from '@motiondelta/core';
import { tensorError, type TensorError } from '../stats/tensor-error.js';
import { sampleBilinear } from './grid-sampler.js';

/** An NHWC float32 tensor as sessions return it. */
export interface MappedTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Input pixels per output pixel along y and x (0.5 for a 2x upsampler, 16 for a stride-16 head). */
export interface MappedOutputScale {
  readonly y: number;
  readonly x: number;
}

/** One output's error over the values that could be compared. */
export interface MappedOutputError extends TensorError {
  /** Values compared (their footprint centre maps onto the frame). */
  readonly compared: number;
  /** Values the output has. */
  readonly total: number;
}

/** A motion frame's outputs against dense inference on the raw frame: the worst output, field by field. */
export interface MappedComparison extends TensorError {
  /** Fraction of all output values that were compared. */
  readonly comparedFraction: number;
  /** The error of each output, by name. */
  readonly outputs: Readonly<Record<string, MappedOutputError>>;
}

const IDENTITY: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * The one definition of a motion frame's error against dense inference on the same raw frame.
 * Motion outputs lie on the viewport grid, dense outputs on the frame grid. For every motion
 * output pixel `(i, j)` of an output with `scale` input pixels per output pixel:
 *
 * 1. its footprint centre in viewport pixels is `((i + 0.5)·scale.y − 0.5, (j + 0.5)·scale.x − 0.5)`;
 * 2. `frameFromViewport` (`session.frameGeometry.frameFromViewport`; identity when undefined)
 *    takes it to frame pixels `(fy, fx)`; the pixel is compared only when that point lies on the
 *    frame, `−0.5 ≤ fx ≤ W − 0.5` and `−0.5 ≤ fy ≤ H − 0.5`: viewport pixels the frame does not
 *    cover hold older content and have no dense counterpart;
 * 3. the dense output is sampled there bilinearly, at `((fy + 0.5)/scale.y − 0.5, (fx + 0.5)/scale.x − 0.5)`
 *    clamped to its grid (positions within 1e-6 of a grid point take that point exactly, so an
 *    unmoved or integer-aligned viewport compares value for value).
 *
 * Per output, `maxAbs`, `relL2` and `exact` are {@link tensorError} over the compared values;
 * `psnr` uses the same formula with `peak = max − min` of the *whole* dense output (1 when
 * constant), so it reads as the other modes' PSNR. The frame takes its worst output. A NaN counts
 * as an infinite error. An output whose scale is unknown is assumed to span the frame.
 *
 * @example
 * ```ts
 * import { compareMappedOutputs } from '@motiondelta/graph-runtime';
 * const outputs = await motion.run({ image: frame }, { homography });
 * const reference = await dense.run({ image: frame });
 * const e = compareMappedOutputs(outputs, reference, motion.frameGeometry?.frameFromViewport,
 *   (name) => motion.outputScale(name), [144, 192]);
 * console.log(e.maxAbs, e.psnr, e.comparedFraction);
 * ```
 */
export function compareMappedOutputs(
  motion: Readonly<Record<string, MappedTensor>>,
  dense: Readonly<Record<string, MappedTensor>>,
  frameFromViewport: readonly number[] | undefined,
  scaleOf: (name: string) => MappedOutputScale | undefined,
  frameSize: readonly [number, number],
): MappedComparison {
  const m = frameFromViewport ?? IDENTITY;
  if (m.length !== 9) throw new RangeError(`frameFromViewport must be a row-major 3x3 matrix (9 numbers), got ${m.length}.`);
  const outputs: Record<string, MappedOutputError> = {};
  let maxAbs = 0;
  let relL2 = 0;
  let psnr = Number.POSITIVE_INFINITY;
  let compared = 0;
  let total = 0;
  for (const [name, reference] of Object.entries(dense)) {
    const ours = motion[name];
    if (!ours || ours.data.length !== reference.data.length || reference.shape.length !== 4) {
      throw new ShapeError(
        `Output '${name}' of the motion session (${ours ? `[${ours.shape.join(',')}]` : 'missing'}) cannot be compared with the dense output [${reference.shape.join(',')}]; both must be NHWC of the same size.`,
      );
    }
    const e = compareOne(ours.data, reference, m, scaleOf(name), frameSize);
    outputs[name] = e;
    maxAbs = Math.max(maxAbs, e.maxAbs);
    relL2 = Math.max(relL2, e.relL2);
    psnr = Math.min(psnr, e.psnr);
    compared += e.compared;
    total += e.total;
  }
  return { maxAbs, relL2, psnr, exact: maxAbs === 0, comparedFraction: total > 0 ? compared / total : 0, outputs };
}

function compareOne(
  ours: Float32Array,
  reference: MappedTensor,
  m: readonly number[],
  knownScale: MappedOutputScale | undefined,
  [fh, fw]: readonly [number, number],
): MappedOutputError {
  const [, oh, ow, c] = reference.shape as [number, number, number, number];
  const dense = reference.data;
  const scale = knownScale ?? { y: fh / oh, x: fw / ow };
  const mine = new Float32Array(dense.length);
  const expected = new Float32Array(dense.length);
  let n = 0;
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const vy = (i + 0.5) * scale.y - 0.5;
      const vx = (j + 0.5) * scale.x - 0.5;
      const w = m[6]! * vx + m[7]! * vy + m[8]!;
      const fx = (m[0]! * vx + m[1]! * vy + m[2]!) / w;
      const fy = (m[3]! * vx + m[4]! * vy + m[5]!) / w;
      if (!(fx >= -0.5 && fy >= -0.5 && fx <= fw - 0.5 && fy <= fh - 0.5)) continue;
      const base = (i * ow + j) * c;
      mine.set(ours.subarray(base, base + c), n);
      sampleBilinear(dense, oh, ow, c, (fy + 0.5) / scale.y - 0.5, (fx + 0.5) / scale.x - 0.5, expected, n);
      n += c;
    }
  }
  const a = mine.subarray(0, n);
  const b = expected.subarray(0, n);
  const e = tensorError(a, b);
  return { maxAbs: e.maxAbs, relL2: e.relL2, exact: e.exact, psnr: psnrWithPeak(a, b, rangeOf(dense)), compared: n, total: dense.length };
}

/** `tensorError`'s PSNR formula, with the peak of the whole dense output rather than of the compared part. */
function psnrWithPeak(a: Float32Array, b: Float32Array, peak: number): number {
  let se = 0;
  for (let k = 0; k < b.length; k++) {
    const d = a[k]! - b[k]!;
    se += d * d;
  }
  if (Number.isNaN(se)) return Number.NEGATIVE_INFINITY;
  return se === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((peak * peak) / (se / b.length));
}

function rangeOf(data: Float32Array): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? hi - lo : 1;
}
