/**
 * PSNR of `actual` against `reference`, with the peak taken as the reference's value range
 * (max - min), since model outputs are not images with a fixed peak. Identical tensors give
 * Infinity.
 */
export function psnr(actual: Float32Array, reference: Float32Array): number {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let se = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    if (r < min) min = r;
    if (r > max) max = r;
    const d = actual[i]! - r;
    se += d * d;
  }
  const mse = se / Math.max(reference.length, 1);
  if (mse === 0) return Number.POSITIVE_INFINITY;
  const peak = max - min || 1;
  return 10 * Math.log10((peak * peak) / mse);
}

/** Largest |actual - reference|. */
export function maxAbsError(actual: Float32Array, reference: Float32Array): number {
  let m = 0;
  for (let i = 0; i < reference.length; i++) m = Math.max(m, Math.abs(actual[i]! - reference[i]!));
  return m;
}
