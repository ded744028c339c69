import { MODEL_INPUTS, modelInputSize, type ModelId } from '@motiondelta/data';

/** How one model is benchmarked when the command line does not say otherwise. */
export interface ModelBenchDefaults {
  /**
   * Input size as a fraction of the clip's own size (fixed-size models ignore it). 1 means full
   * frames, which is what benchmarks use unless the reference backend makes that impractical.
   */
  readonly clipScale: number;
  /** Timed frames per pass. */
  readonly frames: number;
  /** Untimed frames before the timed ones (plan building, weight upload, delta keyframe). */
  readonly warmup: number;
}

/**
 * The one table of per-model defaults. A full default run (all four models on vtest, dense on
 * the reference backend, 2 cores) must finish in about 10 minutes; the reference backend does
 * about 0.2-0.25 GMAC/s, so the cost per frame decides the frame counts. The figures in the
 * comments were measured on the 2-core AMD EPYC machines this project runs on.
 */
export const MODEL_BENCH_DEFAULTS: Readonly<Record<ModelId, ModelBenchDefaults>> = {
  // Full frames would be 576x768 -> 1152x1536: 99 GMAC, about 7 minutes per frame on the
  // reference backend. A quarter of each side (144x192 on vtest, same aspect, no crop) is
  // 6.2 GMAC, about 25 s per frame; 3 timed frames keep it under 2 minutes.
  'esrgan-x2': { clipScale: 1 / 4, frames: 3, warmup: 1 },
  // Fixed 385x385 (centre crop of the frame, resized): 1.1 GMAC, about 4.6 s per frame.
  posenet: { clipScale: 1, frames: 5, warmup: 1 },
  // Fixed 256x256: 0.07 GMAC, about 0.6 s per frame, so it can afford more frames.
  selfie: { clipScale: 1, frames: 10, warmup: 1 },
  // Full frames (768x576 are multiples of 32): 2.6 GMAC, about 15 s per frame.
  'ppocr-det': { clipScale: 1, frames: 4, warmup: 1 },
};

/**
 * The input [height, width] a model is benchmarked at on a clip of the given size: the
 * override when given, else the table's fraction of the clip; then the model's own rules
 * (fixed sizes win, others round down to their multiple).
 *
 * @example
 * ```ts
 * benchInputSize('esrgan-x2', [576, 768]); // [144, 192]
 * benchInputSize('posenet', [576, 768], [100, 100]); // [385, 385]: fixed-size model
 * ```
 */
export function benchInputSize(id: ModelId, clipSize: readonly [number, number], override?: readonly [number, number]): [number, number] {
  const scale = MODEL_BENCH_DEFAULTS[id].clipScale;
  const wish: readonly [number, number] = override ?? [Math.round(clipSize[0] * scale), Math.round(clipSize[1] * scale)];
  return modelInputSize(id, wish);
}

/** Whether a model takes only one input size (so `--size` does not apply to it). */
export function hasFixedSize(id: ModelId): boolean {
  return MODEL_INPUTS[id].fixedSize !== undefined;
}
