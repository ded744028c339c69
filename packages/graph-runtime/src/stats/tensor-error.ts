/** How far one tensor is from a reference (the dense output, or another engine's). */
export interface TensorError {
  /** Largest |actual - reference|; Infinity when a NaN appears, so a broken result never looks exact. */
  readonly maxAbs: number;
  /** ||actual - reference|| / ||reference|| (the norm floored at 1e-30). */
  readonly relL2: number;
  /**
   * 10 log10(peak^2 / MSE) in dB, with `peak` the reference's value range (max - min, or 1 when
   * the reference is constant), since model outputs have no fixed peak: it reads the same for
   * outputs in [0, 1], [0, 255] or logits. Infinity when the tensors are identical.
   */
  readonly psnr: number;
  /** Every element equal. */
  readonly exact: boolean;
}

/**
 * The one definition of output error used by tests, the CLI, calibration and the benchmarks.
 *
 * @example
 * ```ts
 * import { tensorError } from '@motiondelta/graph-runtime';
 * tensorError(new Float32Array([0, 1]), new Float32Array([0, 2])); // { maxAbs: 1, relL2: 0.5, psnr: 9.03, exact: false }
 * ```
 */
export function tensorError(actual: Float32Array, reference: Float32Array): TensorError {
  if (actual.length !== reference.length) {
    throw new RangeError(`Cannot compare ${actual.length} values with a reference of ${reference.length}.`);
  }
  let maxAbs = 0;
  let se = 0;
  let norm = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const d = actual[i]! - r;
    const a = Math.abs(d);
    // `!(a <= maxAbs)` also catches NaN, which `a > maxAbs` would skip.
    if (!(a <= maxAbs)) maxAbs = Number.isNaN(a) ? Number.POSITIVE_INFINITY : a;
    se += d * d;
    norm += r * r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const mse = Number.isNaN(se) ? Number.POSITIVE_INFINITY : se / Math.max(reference.length, 1);
  const peak = max > min ? max - min : 1;
  return {
    maxAbs,
    relL2: Number.isNaN(se) ? Number.POSITIVE_INFINITY : Math.sqrt(se / Math.max(norm, 1e-30)),
    psnr: mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((peak * peak) / mse),
    exact: mse === 0,
  };
}
