import { OptionError, createRng } from '@motiondelta/core';

/** Seeded Gaussian sensor noise: standard deviation `sigma` grey levels, fresh per frame. */
export interface SensorNoise {
  readonly sigma: number;
  readonly seed: number;
}

/**
 * Throws {@link OptionError} unless `noise` has a finite `sigma >= 0` and an integer `seed`.
 *
 * @example
 * ```ts
 * assertSensorNoise({ sigma: 2, seed: 7 }); // passes
 * ```
 */
export function assertSensorNoise(noise: SensorNoise): void {
  if (!Number.isFinite(noise.sigma) || noise.sigma < 0)
    throw new OptionError(`noise.sigma is ${noise.sigma}; it must be a finite number >= 0.`);
  if (!Number.isInteger(noise.seed)) throw new OptionError(`noise.seed is ${noise.seed}; it must be an integer.`);
}

/**
 * Adds Gaussian noise to RGB bytes in place, rounding and clamping to 0..255. The generator is
 * seeded from `(seed, index)` so that frame `index` gets the same noise whatever order frames
 * are rendered in.
 *
 * @example
 * ```ts
 * addSensorNoise(frame.data, { sigma: 2, seed: 7 }, frame.index);
 * ```
 */
export function addSensorNoise(data: Uint8Array, noise: SensorNoise, index: number): void {
  if (noise.sigma === 0) return;
  // Mixing the index with a large odd constant decorrelates the streams of neighbouring frames.
  const rng = createRng((noise.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  for (let i = 0; i < data.length; i += 2) {
    // Box-Muller gives two independent normals per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(Math.max(1e-12, rng.next())));
    const t = 2 * Math.PI * rng.next();
    data[i] = Math.min(255, Math.max(0, Math.round(data[i]! + noise.sigma * r * Math.cos(t))));
    if (i + 1 < data.length) data[i + 1] = Math.min(255, Math.max(0, Math.round(data[i + 1]! + noise.sigma * r * Math.sin(t))));
  }
}
