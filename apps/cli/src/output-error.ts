import type { TensorMap } from '@motiondelta/core';
import { ShapeError } from '@motiondelta/core';
import { tensorError } from '@motiondelta/graph-runtime';

/** How far one frame's outputs are from the dense session's. */
export interface OutputDifference {
  /**
   * Peak signal-to-noise ratio in dB, worst over the model's outputs. Per output:
   * `10 * log10(peak^2 / MSE)` with `peak = max - min` of the dense output (1 when the dense output
   * is constant). `Infinity` when the outputs are identical.
   */
  readonly psnr: number;
  /** Largest absolute difference over every output element. */
  readonly maxAbsError: number;
  /** True when every output element equals the dense one exactly. */
  readonly exact: boolean;
}

/**
 * Compares a mode's outputs with the dense outputs of the same frame. A NaN anywhere counts as
 * an infinite error, so a broken mode never looks exact.
 *
 * @example
 * compareOutputs({ y: { data: new Float32Array([0, 1]), shape: [2] } }, { y: { data: new Float32Array([0, 2]), shape: [2] } });
 * // { psnr: 10 * log10(2^2 / 0.5) ≈ 9.03, maxAbsError: 1, exact: false }
 */
export function compareOutputs(ours: TensorMap, dense: TensorMap): OutputDifference {
  let psnr = Number.POSITIVE_INFINITY;
  let maxAbsError = 0;
  for (const [name, reference] of Object.entries(dense)) {
    const mine = ours[name];
    if (!mine || mine.data.length !== reference.data.length) {
      throw new ShapeError(
        `Output '${name}' differs in size from the dense output (${mine?.data.length ?? 'missing'} vs ${reference.data.length} values).`,
      );
    }
    const e = tensorError(mine.data, reference.data);
    maxAbsError = Math.max(maxAbsError, e.maxAbs);
    psnr = Math.min(psnr, e.psnr);
  }
  return { psnr, maxAbsError, exact: maxAbsError === 0 };
}
