/** onnxruntime's tolerances for the ONNX backend tests: |actual - expected| <= atol + rtol * |expected|. */
export const TOLERANCE = { rtol: 1e-3, atol: 1e-3 } as const;

/** The first element out of tolerance, or undefined when every element is within it. */
export interface Mismatch {
  readonly index: number;
  readonly actual: number;
  readonly expected: number;
  /** Elements out of tolerance. */
  readonly count: number;
}

/** Compares two equally long arrays; NaN matches NaN, infinities match themselves. */
export function compareValues(actual: Float32Array, expected: ArrayLike<number>): Mismatch | undefined {
  let first: Omit<Mismatch, 'count'> | undefined;
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= TOLERANCE.atol + TOLERANCE.rtol * Math.abs(e)) continue;
    count += 1;
    first ??= { index: i, actual: a, expected: e };
  }
  return first === undefined ? undefined : { ...first, count };
}

/** Largest absolute difference, for reports (NaN pairs count as 0). */
export function maxAbsError(actual: Float32Array, expected: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (d > max) max = d;
  }
  return max;
}
