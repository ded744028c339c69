/**
 * Seeded random numbers. Every random choice in MotionDelta (tests, RANSAC, policies) goes through
 * an injectable generator so that runs are reproducible.
 */

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * Mulberry32: tiny, fast, and statistically good enough for sampling and tests.
 *
 * @example
 * ```ts
 * import { createRng, uniform } from '@motiondelta/core';
 * const rng = createRng(42);
 * const x = uniform(rng, -1, 1);
 * ```
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Integer uniform in [lo, hi] (both ends included). */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

/** A Float32Array of `n` values uniform in [lo, hi). */
export function randomFloat32(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.next();
  return out;
}
