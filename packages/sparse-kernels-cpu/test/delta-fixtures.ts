import { describe, expect, it } from 'vitest';
import { DeltaBuffer, randomFloat32, randomInt, sizeOf } from '@motiondelta/core';
import type { Rng, Shape, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { loadAddon } from '../src/load-addon.js';
import type { NativeDeltaAddon } from '../src/delta/native-delta-addon.js';

/** Shared fixtures of the native delta tests: the addon (or why it is missing), inputs, comparisons. */

export const reference = new ReferenceBackend();
export const refKernels = reference.delta;

const load = loadAddon<NativeDeltaAddon>();

/**
 * Declares the suite when the addon is built. In CI a missing addon is a failure with the reason;
 * elsewhere the suite is skipped with the reason written out (build it with `build:native`).
 */
export function describeNative(name: string, body: (addon: NativeDeltaAddon) => void): void {
  if (load.ok) {
    describe(name, () => body(load.addon));
  } else if (process.env['CI']) {
    describe(name, () => {
      it('needs the native addon', () => {
        expect.fail(load.reason);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${load.reason})`, () => {
      it('needs the native addon', () => undefined);
    });
  }
}

export function randomTensor(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  return { data: randomFloat32(rng, sizeOf(shape), lo, hi), shape };
}

/**
 * Change patterns: none, one pixel, the corners, the borders, both sides of 8x8 tile borders
 * (x = 7/8, y = 15/16, where tiled kernels split work), scattered pixels, a blob, everything.
 */
export const PATTERNS = ['none', 'single', 'corners', 'borders', 'tile-borders', 'scattered', 'blob', 'everything'] as const;
export type ChangePattern = (typeof PATTERNS)[number];

export function changedPixels(rng: Rng, shape: Shape, pattern: ChangePattern): number[] {
  const [batch, h, w] = shape as [number, number, number, number];
  const pixel = (n: number, y: number, x: number): number => (n * h + y) * w + x;
  const set = new Set<number>();
  const inside = (y: number, x: number): boolean => y >= 0 && y < h && x >= 0 && x < w;
  for (let n = 0; n < batch; n++) {
    switch (pattern) {
      case 'none':
        break;
      case 'single':
        if (n === 0) set.add(pixel(randomInt(rng, 0, batch - 1), randomInt(rng, 0, h - 1), randomInt(rng, 0, w - 1)));
        break;
      case 'corners':
        for (const y of [0, h - 1]) for (const x of [0, w - 1]) set.add(pixel(n, y, x));
        break;
      case 'borders':
        set.add(pixel(n, 0, randomInt(rng, 0, w - 1)));
        set.add(pixel(n, h - 1, randomInt(rng, 0, w - 1)));
        set.add(pixel(n, randomInt(rng, 0, h - 1), 0));
        set.add(pixel(n, randomInt(rng, 0, h - 1), w - 1));
        break;
      case 'tile-borders':
        for (const [y, x] of [
          [7, 7],
          [7, 8],
          [8, 7],
          [8, 8],
          [15, 3],
          [16, 3],
          [2, 15],
          [2, 16],
          [15, 16],
        ] as const) {
          if (inside(y, x)) set.add(pixel(n, y, x));
        }
        break;
      case 'scattered':
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (rng.next() < 0.15) set.add(pixel(n, y, x));
        break;
      case 'blob': {
        const cy = randomInt(rng, 0, h - 1);
        const cx = randomInt(rng, 0, w - 1);
        const r = Math.max(1, Math.floor(Math.min(h, w) / 4));
        for (let y = cy - r; y <= cy + r; y++)
          for (let x = cx - r; x <= cx + r; x++) if (inside(y, x) && (y - cy) ** 2 + (x - cx) ** 2 <= r * r) set.add(pixel(n, y, x));
        break;
      }
      case 'everything':
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) set.add(pixel(n, y, x));
        break;
    }
  }
  return [...set];
}

/** A copy of `x` with fresh random values at `pixels`. */
export function changeAt(rng: Rng, x: Tensor, pixels: readonly number[], lo = -1, hi = 1): Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const data = Float32Array.from(x.data);
  for (const p of pixels) for (let ch = 0; ch < c; ch++) data[p * c + ch] = lo + (hi - lo) * rng.next();
  return { data, shape: x.shape };
}

/** A copy of `x` nudged by up to ±amplitude at `pixels`: changes a threshold holds back. */
export function perturbAt(rng: Rng, x: Tensor, pixels: readonly number[], amplitude: number): Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const data = Float32Array.from(x.data);
  for (const p of pixels) for (let ch = 0; ch < c; ch++) data[p * c + ch]! += amplitude * (2 * rng.next() - 1);
  return { data, shape: x.shape };
}

/** The delta from x0 to x1 (reference sparsify at threshold 0). */
export function deltaBetween(x0: Tensor, x1: Tensor): DeltaBuffer {
  const d = new DeltaBuffer(x0.shape);
  refKernels.sparsify(x1, Float32Array.from(x0.data), 0, d);
  return d;
}

/** Fills a DeltaBuffer's inactive pixels with garbage: kernels must never read them. */
export function poisonInactive(d: DeltaBuffer, value = Number.NaN): DeltaBuffer {
  const c = d.channels;
  for (let p = 0; p < d.pixels; p++) if (d.mask[p] !== 1) d.values.fill(value, p * c, p * c + c);
  return d;
}

/** The mask, list and count of a DeltaBuffer agree. */
export function expectConsistent(d: DeltaBuffer, label: string): void {
  let masked = 0;
  for (let p = 0; p < d.pixels; p++) masked += d.mask[p]!;
  expect(masked, `${label}: mask sum vs count`).toBe(d.count);
  for (let i = 0; i < d.count; i++) expect(d.mask[d.active[i]!], `${label}: listed pixel masked`).toBe(1);
}

/**
 * The native output equals the reference output: same active set, and values at active pixels
 * within `tol` relative to the largest magnitude in the reference output (float rounding of a
 * different summation order).
 */
export function expectSameDelta(actual: DeltaBuffer, expected: DeltaBuffer, label: string, tol = 1e-5): void {
  expectConsistent(actual, label);
  expect(actual.count, `${label}: count`).toBe(expected.count);
  let mismatched = 0;
  for (let p = 0; p < expected.pixels; p++) if (actual.mask[p] !== expected.mask[p]) mismatched++;
  expect(mismatched, `${label}: pixels whose activity differs`).toBe(0);
  const c = expected.channels;
  let scale = 1e-30;
  for (let i = 0; i < expected.count; i++) {
    const base = expected.active[i]! * c;
    for (let ch = 0; ch < c; ch++) scale = Math.max(scale, Math.abs(expected.values[base + ch]!));
  }
  let worst = 0;
  let where = '';
  for (let i = 0; i < expected.count; i++) {
    const base = expected.active[i]! * c;
    for (let ch = 0; ch < c; ch++) {
      const e = Math.abs(actual.values[base + ch]! - expected.values[base + ch]!) / scale;
      if (!(e <= worst)) {
        worst = e;
        where = `pixel ${expected.active[i]} channel ${ch}: ${actual.values[base + ch]} vs ${expected.values[base + ch]}`;
      }
    }
  }
  expect(worst, `${label}: worst relative difference at ${where}`).toBeLessThanOrEqual(tol);
}

/** Largest |a - b| relative to max |b|. */
export function relMaxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  let s = 1e-30;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return m / s;
}
