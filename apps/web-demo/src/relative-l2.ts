/** ||a - b|| / ||b||: how far an output is from the reference one (0 when equal; `b` all zero counts as norm 1). */
export function relativeL2(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  return Math.sqrt(diff) / Math.sqrt(norm > 0 ? norm : 1);
}
