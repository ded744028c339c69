import { randomFloat32, sizeOf } from '@motiondelta/core';
import type { Rng, Shape, Tensor } from '@motiondelta/core';

/** A tensor of values uniform in [lo, hi). */
export function randomTensor(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  return { data: randomFloat32(rng, sizeOf(shape), lo, hi), shape };
}

/**
 * The grid of exact values the stateful delta cases draw from: multiples of 1/256. Sums,
 * differences, maxima and small products of such values are exact in float32, so every backend
 * makes the same threshold decisions, ties included.
 */
export const DYADIC_STEP = 1 / 256;

/** A multiple of `step` in [lo, hi]. */
export function dyadic(rng: Rng, lo: number, hi: number, step = DYADIC_STEP): number {
  const k0 = Math.ceil(lo / step);
  const k1 = Math.floor(hi / step);
  return (k0 + Math.floor(rng.next() * (k1 - k0 + 1))) * step;
}

/** A Float32Array of multiples of `step` in [lo, hi]. */
export function dyadicArray(rng: Rng, n: number, lo: number, hi: number, step = DYADIC_STEP): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = dyadic(rng, lo, hi, step);
  return out;
}

export function dyadicTensor(rng: Rng, shape: Shape, lo: number, hi: number): Tensor {
  return { data: dyadicArray(rng, sizeOf(shape), lo, hi), shape };
}

/** Values with magnitude in [lo, hi] and a random sign: divisors kept away from zero. */
export function awayFromZero(rng: Rng, n: number, lo: number, hi: number, exact = false): Float32Array {
  const out = exact ? dyadicArray(rng, n, lo, hi) : randomFloat32(rng, n, lo, hi);
  for (let i = 0; i < n; i++) if (rng.next() < 0.5) out[i] = -out[i]!;
  return out;
}

/** In-place Fisher-Yates shuffle. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A deep copy, so that a backend cannot see (or spoil) the reference's inputs. */
export function cloneTensor(t: Tensor): Tensor {
  return { data: Float32Array.from(t.data), shape: [...t.shape] };
}
