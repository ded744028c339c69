import { ShapeError, formatShape } from '@motiondelta/core';
import { tensorError as measureTensorError } from '@motiondelta/graph-runtime';

/** A float32 tensor as both engines return it (NHWC). */
export interface ComparedTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** How far our output is from the dense engine's, for one frame (worst over the outputs). */
export interface OutputError {
  readonly maxAbs: number;
  /** ||ours - dense|| / ||dense||. */
  readonly relL2: number;
  /**
   * Peak signal-to-noise ratio in dB, the peak being the range (max - min) of the dense output,
   * so it reads the same for outputs in [0, 1], [0, 255] or logits. Null when the outputs are
   * identical (infinite PSNR), which JSON cannot write as a number.
   */
  readonly psnrDb: number | null;
}

/** The error of one output tensor against the dense engine's (the runtime's one definition). */
export function tensorError(ours: Float32Array, dense: Float32Array): OutputError {
  const e = measureTensorError(ours, dense);
  return { maxAbs: e.maxAbs, relL2: e.relL2, psnrDb: Number.isFinite(e.psnr) ? e.psnr : null };
}

/** The worse of two errors, field by field (lower PSNR is worse; null means perfect). */
export function worseError(a: OutputError, b: OutputError): OutputError {
  const psnrDb = a.psnrDb === null ? b.psnrDb : b.psnrDb === null ? a.psnrDb : Math.min(a.psnrDb, b.psnrDb);
  return { maxAbs: Math.max(a.maxAbs, b.maxAbs), relL2: Math.max(a.relL2, b.relL2), psnrDb };
}

/** No error at all: the neutral start of a `worseError` fold. */
export const NO_ERROR: OutputError = { maxAbs: 0, relL2: 0, psnrDb: null };

/**
 * One frame's error over every output the model has, worst output counted. Outputs are matched
 * by name; a missing output or a shape mismatch is a `ShapeError` naming both shapes.
 *
 * @example
 * ```ts
 * const err = frameError(['y'], ourOutputs, denseOutputs);
 * console.log(err.maxAbs, err.relL2, err.psnrDb);
 * ```
 */
export function frameError(
  outputNames: readonly string[],
  ours: Readonly<Record<string, ComparedTensor>>,
  dense: Readonly<Record<string, ComparedTensor>>,
): OutputError {
  let worst = NO_ERROR;
  for (const name of outputNames) {
    const a = ours[name];
    const b = dense[name];
    if (!a) throw new ShapeError(`Our session returned no output '${name}' (it returned ${Object.keys(ours).join(', ')}).`);
    if (!b) throw new ShapeError(`The dense engine returned no output '${name}' (it returned ${Object.keys(dense).join(', ')}).`);
    if (formatShape(a.shape) !== formatShape(b.shape)) {
      throw new ShapeError(`Output '${name}' is ${formatShape(a.shape)} here and ${formatShape(b.shape)} from the dense engine.`);
    }
    worst = worseError(worst, tensorError(a.data, b.data));
  }
  return worst;
}
