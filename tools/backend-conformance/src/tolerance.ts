/**
 * How far a backend may be from the reference. Both metrics are relative, so that they mean the
 * same on small and large tensors:
 * - `relL2`: ||actual - expected||_2 / max(||expected||_2, scale * sqrt(n))
 * - `maxAbs`: max |actual - expected| / max(max |expected|, scale)
 * `scale` (default 0) is a magnitude floor for values that are small differences of large ones
 * (the output deltas of stateful kernels are `y - emitted`: their rounding follows |y|, not |y - emitted|).
 */
export interface Tolerance {
  readonly relL2: number;
  readonly maxAbs: number;
  readonly scale?: number;
}

/**
 * Dense outputs and linear delta outputs: float32 arithmetic against the reference's float64
 * accumulation, summation order free (BLAS, vector lanes, threads).
 */
export const DENSE_TOLERANCE: Tolerance = { relL2: 1e-4, maxAbs: 1e-3 };

/** Kernel state arrays (accumulated inputs, emitted outputs, sparsify references, accumulate targets). */
export const STATE_TOLERANCE: Tolerance = { relL2: 1e-4, maxAbs: 1e-3 };

/** Output deltas of a stateful kernel whose state holds values of magnitude up to `scale`. */
export function statefulOutputTolerance(scale: number): Tolerance {
  return { relL2: 1e-4, maxAbs: 1e-4, scale: Math.max(1, scale) };
}
