/** How far one output is from the reference engine's. */
export interface OutputError {
  readonly maxAbs: number;
  /** ||ours - reference|| / ||reference||. */
  readonly relL2: number;
}

export function outputError(ours: Float32Array, reference: Float32Array): OutputError {
  let maxAbs = 0;
  let num = 0;
  let den = 0;
  const n = Math.min(ours.length, reference.length);
  for (let i = 0; i < n; i++) {
    const d = ours[i]! - reference[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(d));
    num += d * d;
    den += reference[i]! * reference[i]!;
  }
  if (ours.length !== reference.length) return { maxAbs: Number.POSITIVE_INFINITY, relL2: Number.POSITIVE_INFINITY };
  return { maxAbs, relL2: Math.sqrt(num / Math.max(den, 1e-30)) };
}
