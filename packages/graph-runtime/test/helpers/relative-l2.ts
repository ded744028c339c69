/**
 * ||ours - reference|| / ||reference||, the error measure of every engine comparison. The norm has
 * a floor of 1e-6 so that an all-zero reference is compared absolutely instead of dividing by 0.
 */
export function relativeL2(ours: Float32Array, reference: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = ours[i]! - reference[i]!;
    diff += d * d;
    norm += reference[i]! * reference[i]!;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-6);
}
